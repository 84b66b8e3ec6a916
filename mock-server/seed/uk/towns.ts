/**
 * Real UK post towns with postcode districts inside them and their county, assembled from public facts (Royal Mail's
 * post towns and postcode districts; the ceremonial county in England and Wales, the preserved county in Wales
 * where it differs, the council area in Scotland, the county in Northern Ireland). A seeded address takes its
 * town, county and postcode district from one row, so the three always agree.
 */

/** A post town, its county, the postcode districts (outward codes) wholly inside it, and its drama dialling code. */
export interface UkTown {
  town: string;
  county: string;
  districts: readonly string[];
  /** The area code of Ofcom's drama range for the town (`./phones.ts`), if Ofcom reserves one there. */
  dialling?: string;
}

export const UK_TOWNS: readonly UkTown[] = [
  {
    town: 'London',
    county: 'Greater London',
    districts: [
      'EC1V',
      'EC2A',
      'EC2M',
      'EC3N',
      'E1',
      'E14',
      'N1',
      'N7',
      'NW1',
      'SE1',
      'SE10',
      'SW1P',
      'SW11',
      'W1T',
      'W3',
      'WC1X',
      'WC2H',
    ],
    dialling: '020',
  },
  {
    town: 'Manchester',
    county: 'Greater Manchester',
    districts: ['M1', 'M2', 'M4', 'M8', 'M11', 'M12', 'M13', 'M15', 'M40'],
    dialling: '0161',
  },
  { town: 'Salford', county: 'Greater Manchester', districts: ['M5', 'M6', 'M7', 'M50'], dialling: '0161' },
  {
    town: 'Leeds',
    county: 'West Yorkshire',
    districts: ['LS1', 'LS2', 'LS6', 'LS9', 'LS10', 'LS11', 'LS12'],
    dialling: '0113',
  },
  {
    town: 'Sheffield',
    county: 'South Yorkshire',
    districts: ['S1', 'S2', 'S3', 'S4', 'S8', 'S9', 'S11'],
    dialling: '0114',
  },
  {
    town: 'Nottingham',
    county: 'Nottinghamshire',
    districts: ['NG1', 'NG2', 'NG3', 'NG5', 'NG7'],
    dialling: '0115',
  },
  {
    town: 'Leicester',
    county: 'Leicestershire',
    districts: ['LE1', 'LE2', 'LE3', 'LE4', 'LE5'],
    dialling: '0116',
  },
  {
    town: 'Bristol',
    county: 'City of Bristol',
    districts: ['BS1', 'BS2', 'BS3', 'BS4', 'BS5', 'BS8', 'BS11'],
    dialling: '0117',
  },
  {
    town: 'Reading',
    county: 'Berkshire',
    districts: ['RG1', 'RG2', 'RG4', 'RG6', 'RG30', 'RG31'],
    dialling: '0118',
  },
  {
    town: 'Birmingham',
    county: 'West Midlands',
    districts: ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B9', 'B11', 'B18'],
    dialling: '0121',
  },
  {
    town: 'Edinburgh',
    county: 'City of Edinburgh',
    districts: ['EH1', 'EH2', 'EH3', 'EH6', 'EH7', 'EH11'],
    dialling: '0131',
  },
  {
    town: 'Glasgow',
    county: 'City of Glasgow',
    districts: ['G1', 'G2', 'G3', 'G4', 'G5', 'G40', 'G51'],
    dialling: '0141',
  },
  {
    town: 'Liverpool',
    county: 'Merseyside',
    districts: ['L1', 'L2', 'L3', 'L8', 'L13', 'L24'],
    dialling: '0151',
  },
  {
    town: 'Newcastle upon Tyne',
    county: 'Tyne and Wear',
    districts: ['NE1', 'NE2', 'NE4', 'NE6'],
    dialling: '0191',
  },
  { town: 'Sunderland', county: 'Tyne and Wear', districts: ['SR1', 'SR2', 'SR4', 'SR5'], dialling: '0191' },
  {
    town: 'Cardiff',
    county: 'South Glamorgan',
    districts: ['CF10', 'CF11', 'CF14', 'CF24'],
    dialling: '029',
  },
  { town: 'Cambridge', county: 'Cambridgeshire', districts: ['CB1', 'CB2', 'CB4', 'CB5'] },
  { town: 'Peterborough', county: 'Cambridgeshire', districts: ['PE1', 'PE2', 'PE3', 'PE4'] },
  { town: 'Oxford', county: 'Oxfordshire', districts: ['OX1', 'OX2', 'OX3', 'OX4'] },
  { town: 'Norwich', county: 'Norfolk', districts: ['NR1', 'NR2', 'NR3', 'NR6'] },
  { town: 'Ipswich', county: 'Suffolk', districts: ['IP1', 'IP2', 'IP3', 'IP4'] },
  { town: 'Exeter', county: 'Devon', districts: ['EX1', 'EX2', 'EX4'] },
  { town: 'Plymouth', county: 'Devon', districts: ['PL1', 'PL4', 'PL6', 'PL7'] },
  { town: 'Truro', county: 'Cornwall', districts: ['TR1'] },
  { town: 'Ashford', county: 'Kent', districts: ['TN23', 'TN24', 'TN25'] },
  { town: 'Maidstone', county: 'Kent', districts: ['ME14', 'ME15', 'ME16'] },
  { town: 'Guildford', county: 'Surrey', districts: ['GU1', 'GU2', 'GU4'] },
  { town: 'Brighton', county: 'East Sussex', districts: ['BN1', 'BN2'] },
  { town: 'Southampton', county: 'Hampshire', districts: ['SO14', 'SO15', 'SO16', 'SO17'] },
  { town: 'Portsmouth', county: 'Hampshire', districts: ['PO1', 'PO2', 'PO3', 'PO6'] },
  { town: 'Bournemouth', county: 'Dorset', districts: ['BH1', 'BH7', 'BH8', 'BH9'] },
  { town: 'Swindon', county: 'Wiltshire', districts: ['SN1', 'SN2', 'SN3', 'SN5'] },
  { town: 'Bath', county: 'Somerset', districts: ['BA1', 'BA2'] },
  { town: 'Gloucester', county: 'Gloucestershire', districts: ['GL1', 'GL2', 'GL4'] },
  { town: 'Worcester', county: 'Worcestershire', districts: ['WR1', 'WR2', 'WR3', 'WR5'] },
  { town: 'Shrewsbury', county: 'Shropshire', districts: ['SY1', 'SY2', 'SY3'] },
  { town: 'Coventry', county: 'West Midlands', districts: ['CV1', 'CV2', 'CV3', 'CV6'] },
  { town: 'Wolverhampton', county: 'West Midlands', districts: ['WV1', 'WV2', 'WV10'] },
  { town: 'Stoke-on-Trent', county: 'Staffordshire', districts: ['ST1', 'ST4', 'ST6'] },
  { town: 'Derby', county: 'Derbyshire', districts: ['DE1', 'DE21', 'DE22', 'DE24'] },
  { town: 'Lincoln', county: 'Lincolnshire', districts: ['LN1', 'LN2', 'LN6'] },
  { town: 'Northampton', county: 'Northamptonshire', districts: ['NN1', 'NN3', 'NN4', 'NN5'] },
  { town: 'Milton Keynes', county: 'Buckinghamshire', districts: ['MK1', 'MK9', 'MK10', 'MK14'] },
  { town: 'High Wycombe', county: 'Buckinghamshire', districts: ['HP11', 'HP12', 'HP13'] },
  { town: 'Luton', county: 'Bedfordshire', districts: ['LU1', 'LU2', 'LU3', 'LU4'] },
  { town: 'Chelmsford', county: 'Essex', districts: ['CM1', 'CM2'] },
  { town: 'Colchester', county: 'Essex', districts: ['CO1', 'CO2', 'CO4'] },
  { town: 'York', county: 'North Yorkshire', districts: ['YO1', 'YO10', 'YO24', 'YO31'] },
  { town: 'Wakefield', county: 'West Yorkshire', districts: ['WF1', 'WF2'] },
  { town: 'Hull', county: 'East Riding of Yorkshire', districts: ['HU1', 'HU2', 'HU3', 'HU9'] },
  { town: 'Preston', county: 'Lancashire', districts: ['PR1', 'PR2'] },
  { town: 'Warrington', county: 'Cheshire', districts: ['WA1', 'WA2', 'WA5'] },
  { town: 'Chester', county: 'Cheshire', districts: ['CH1', 'CH2', 'CH3'] },
  { town: 'Carlisle', county: 'Cumbria', districts: ['CA1', 'CA2', 'CA3'] },
  { town: 'Swansea', county: 'West Glamorgan', districts: ['SA1', 'SA2', 'SA5'] },
  { town: 'Aberdeen', county: 'City of Aberdeen', districts: ['AB10', 'AB11', 'AB24'] },
  { town: 'Dundee', county: 'City of Dundee', districts: ['DD1', 'DD2', 'DD3', 'DD4'] },
  { town: 'Inverness', county: 'Highland', districts: ['IV1', 'IV2', 'IV3'] },
  { town: 'Dumfries', county: 'Dumfries and Galloway', districts: ['DG1', 'DG2'] },
  { town: 'Belfast', county: 'County Antrim', districts: ['BT1', 'BT2', 'BT13', 'BT15'] },
];

/** The towns with a drama telephone range of their own: a company's own office is in one of them. */
export const DRAMA_TOWNS: readonly UkTown[] = UK_TOWNS.filter((t) => t.dialling !== undefined);

/** The letters a postcode's inward code may end in (Royal Mail never uses C, I, K, M, O or V there). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
