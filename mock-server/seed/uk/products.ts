/**
 * A British office-technology reseller's catalogue, by the seed's product groups (`../reference-data.ts`): each
 * item a base product in several variants, named and described in British English.
 */

interface CatalogueItem {
  name: string;
  description: string;
  variants: readonly string[];
}

const HARDWARE: readonly CatalogueItem[] = [
  {
    name: 'Business Laptop',
    description: 'Business laptop with Windows 11 Pro and a UK keyboard',
    variants: ['14-inch, 8 GB', '14-inch, 16 GB', '15.6-inch, 16 GB', '15.6-inch, 32 GB'],
  },
  {
    name: 'Desktop PC',
    description: 'Desktop computer with Windows 11 Pro, keyboard and mouse',
    variants: ['Small Form Factor', 'Tower, 16 GB', 'Tower, 32 GB'],
  },
  {
    name: 'Colour Monitor',
    description: 'LED monitor with height-adjustable stand and HDMI cable',
    variants: ['22-inch', '24-inch', '27-inch', '32-inch Curved'],
  },
  {
    name: 'Wireless Keyboard and Mouse Set',
    description: 'Wireless keyboard (UK layout) and optical mouse',
    variants: ['Black', 'Grey'],
  },
  {
    name: 'Mono Laser Printer',
    description: 'Networked mono laser printer with starter toner',
    variants: ['A4', 'A4 Duplex', 'A3'],
  },
  {
    name: 'Colour Laser Printer',
    description: 'Networked colour laser printer with starter toners',
    variants: ['A4', 'A4 Duplex'],
  },
  {
    name: 'Network Switch',
    description: 'Gigabit Ethernet switch for the comms cabinet',
    variants: ['8-port', '24-port Managed', '48-port Managed'],
  },
  {
    name: 'USB-C Docking Station',
    description: 'Docking station with power delivery, Ethernet and USB ports',
    variants: ['Dual Display', 'Triple Display'],
  },
  {
    name: 'Uninterruptible Power Supply',
    description: 'Line-interactive UPS with UK sockets',
    variants: ['650VA', '1500VA', '3000VA Rack-mount'],
  },
  {
    name: 'Wi-Fi Access Point',
    description: 'Ceiling-mounted Wi-Fi 6 access point, powered over Ethernet',
    variants: ['Indoor', 'Outdoor'],
  },
  {
    name: 'External Hard Drive',
    description: 'Portable USB 3 hard drive for backups',
    variants: ['1 TB', '2 TB', '4 TB'],
  },
  {
    name: 'Solid State Drive',
    description: 'Internal SATA solid state drive, fitting kit included',
    variants: ['500 GB', '1 TB', '2 TB'],
  },
  {
    name: 'Headset with Microphone',
    description: 'USB headset for calls and video meetings',
    variants: ['Mono', 'Stereo', 'Noise-cancelling'],
  },
  {
    name: 'Webcam',
    description: 'USB webcam with privacy shutter and built-in microphone',
    variants: ['Full HD', '4K'],
  },
  {
    name: 'Desk Phone',
    description: 'Business telephone handset with colour display',
    variants: ['VoIP', 'Cordless DECT'],
  },
  {
    name: 'Server Cabinet',
    description: 'Floor-standing 19-inch cabinet with lockable glass door',
    variants: ['12U', '22U', '42U'],
  },
];

const CONSUMABLES: readonly CatalogueItem[] = [
  {
    name: 'Copier Paper',
    description: 'Bright white copier paper for laser and inkjet printers',
    variants: [
      'A4 80 gsm, Box of 5 Reams',
      'A4 100 gsm, Box of 5 Reams',
      'A3 80 gsm, Box of 5 Reams',
      'A4 Recycled, Box of 5 Reams',
    ],
  },
  {
    name: 'Toner Cartridge',
    description: 'Compatible toner cartridge for office laser printers',
    variants: ['Black', 'Cyan', 'Magenta', 'Yellow', 'Black, High Yield'],
  },
  {
    name: 'Ink Cartridge',
    description: 'Compatible ink cartridge for office inkjet printers',
    variants: ['Black', 'Colour', 'Multipack'],
  },
  {
    name: 'Printer Drum Unit',
    description: 'Replacement drum unit for laser printers',
    variants: ['Mono', 'Colour'],
  },
  {
    name: 'Cat6 Patch Cable',
    description: 'Snagless Cat6 network patch cable',
    variants: ['0.5 m, Grey', '1 m, Grey', '2 m, Blue', '5 m, Blue'],
  },
  {
    name: 'HDMI Cable',
    description: 'High-speed HDMI cable with gold-plated connectors',
    variants: ['1 m', '2 m', '5 m'],
  },
  {
    name: 'Printer Labels',
    description: 'Self-adhesive address labels for laser printers',
    variants: ['21 per Sheet, Pack of 100', '14 per Sheet, Pack of 100'],
  },
  {
    name: 'Screen Cleaning Wipes',
    description: 'Anti-static wipes for screens and keyboards',
    variants: ['Tub of 100', 'Pack of 20 Sachets'],
  },
  {
    name: 'Archive Storage Boxes',
    description: 'Flat-packed archive boxes in grey board',
    variants: ['Pack of 10', 'Pack of 25'],
  },
  { name: 'AA Batteries', description: 'Alkaline AA batteries', variants: ['Pack of 4', 'Pack of 24'] },
  {
    name: 'Lever Arch File',
    description: 'A4 lever arch file with 70 mm spine',
    variants: ['Black, Pack of 10', 'Assorted Colours, Pack of 10'],
  },
  {
    name: 'Whiteboard Markers',
    description: 'Dry-wipe whiteboard markers with bullet tips',
    variants: ['Black, Pack of 10', 'Assorted, Pack of 4'],
  },
  {
    name: 'Laminating Pouches',
    description: 'Gloss laminating pouches, 150 micron',
    variants: ['A4, Pack of 100', 'A3, Pack of 100'],
  },
  {
    name: 'Compressed Air Duster',
    description: 'Compressed air for cleaning keyboards and vents',
    variants: ['400 ml', 'Pack of 4'],
  },
  {
    name: 'Envelopes',
    description: 'Self-seal envelopes for office post',
    variants: ['DL White, Box of 500', 'C4 Manilla, Box of 250', 'C5 White, Box of 500'],
  },
];

const PUBLICATIONS: readonly CatalogueItem[] = [
  'Practical Bookkeeping for Small Businesses',
  'Making Tax Digital for VAT',
  'Networking Essentials',
  'Health and Safety in the Office',
  'Spreadsheet Skills for Finance Teams',
  'Cyber Security for Small Organisations',
  'The UK GDPR Handbook',
  'Payroll Year-End Manual',
  'Managing Credit Control',
  'Print Finishing and Binding',
  'Customer Service Skills',
  'Introduction to Project Management',
  'Office Ergonomics Handbook',
  'Business Writing in Plain English',
  'Stock Control Made Simple',
  'Employment Law Essentials',
  'Understanding Company Accounts',
  'The Digital Marketing Workbook',
  'Fire Safety Logbook',
  'Accident Report Book',
  'Organising Your Office Records',
].map((title) => ({
  name: title,
  description: `${title}: a practical guide for British businesses`,
  variants: ['Paperback', 'Hardback'],
}));

const SERVICES: readonly CatalogueItem[] = [
  {
    name: 'On-site Installation',
    description: 'An engineer installs and configures the equipment at your premises',
    variants: ['Half Day', 'Full Day'],
  },
  {
    name: 'Remote Support',
    description: 'Help-desk support by telephone and remote session',
    variants: ['per Hour', 'Block of 10 Hours'],
  },
  {
    name: 'Annual Support Contract',
    description: 'Twelve months of help-desk support and on-site visits',
    variants: ['Bronze', 'Silver', 'Gold'],
  },
  {
    name: 'Network Health Check',
    description: 'A review of your network, backups and security, with a written report',
    variants: ['Up to 25 Users', 'Up to 100 Users'],
  },
  {
    name: 'Data Migration',
    description: 'Moving files, email and settings to new equipment',
    variants: ['per Workstation', 'per Server'],
  },
  {
    name: 'Staff Training',
    description: 'Trainer-led session at your premises or online',
    variants: ['Half Day', 'Full Day'],
  },
  {
    name: 'Printer Servicing Visit',
    description: 'Cleaning, parts check and calibration of office printers',
    variants: ['Standard', 'Priority'],
  },
  {
    name: 'Cabling Survey',
    description: 'A survey of structured cabling with a costed proposal',
    variants: ['Single Floor', 'Whole Building'],
  },
  {
    name: 'Backup and Recovery Set-up',
    description: 'Configuring and testing backups and a recovery plan',
    variants: ['On-premises', 'Cloud'],
  },
  {
    name: 'Cyber Essentials Preparation',
    description: 'Preparing your organisation for Cyber Essentials certification',
    variants: ['Basic', 'Plus'],
  },
  {
    name: 'Equipment Disposal',
    description: 'Collection, data wiping and WEEE-compliant recycling',
    variants: ['per Item', 'per Collection'],
  },
  {
    name: 'Managed Antivirus',
    description: 'Antivirus licence, monitoring and updates',
    variants: ['per Device, per Month', 'per Device, per Year'],
  },
  {
    name: 'IT Consultancy',
    description: 'Advice on IT strategy, purchasing and projects',
    variants: ['per Hour', 'per Day'],
  },
  {
    name: 'Wi-Fi Site Survey',
    description: 'A wireless survey with a heat map and access point plan',
    variants: ['Standard', 'Large Site'],
  },
  {
    name: 'Server Installation',
    description: 'Installing and configuring a server and its backups',
    variants: ['Standard', 'Virtualised'],
  },
  {
    name: 'Email Migration',
    description: 'Moving mailboxes to a new email service',
    variants: ['per Mailbox', 'Whole Organisation'],
  },
  {
    name: 'Out-of-hours Call-out',
    description: 'An engineer on site outside office hours',
    variants: ['Weekday Evening', 'Weekend'],
  },
  {
    name: 'Hardware Repair',
    description: 'Diagnosis and repair of computers and printers',
    variants: ['Workshop', 'On-site'],
  },
  {
    name: 'Telephone System Set-up',
    description: 'Installing and programming a business telephone system',
    variants: ['Up to 10 Handsets', 'Up to 50 Handsets'],
  },
  {
    name: 'Project Management',
    description: 'A project manager for your IT project',
    variants: ['per Day', 'per Week'],
  },
];

const CATALOGUE: Readonly<Record<string, readonly CatalogueItem[]>> = {
  HARDWARE,
  CONSUMABLES,
  PUBLICATIONS,
  SERVICES,
};

/** A product's name (at most 60 characters) and description. */
export interface CatalogueProduct {
  name: string;
  description: string;
  /** The base product's initials (`CM` for Colour Monitor), for its code. */
  initials: string;
}

/** Every product a group's catalogue offers, each base product in each of its variants. */
export function catalogueOf(groupCode: string): CatalogueProduct[] {
  const items = CATALOGUE[groupCode];
  if (items === undefined) throw new Error(`catalogue: no products for group ${groupCode}`);
  return items.flatMap((item) =>
    item.variants.map((variant) => ({
      name: `${item.name}, ${variant}`.slice(0, 60),
      description: `${item.description} (${variant}).`,
      initials: item.name
        .split(/[\s-]+/)
        .map((word) => word[0] ?? '')
        .join('')
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, ''),
    })),
  );
}
