/**
 * British people's names, business names and street names: common first names and surnames in England, Wales,
 * Scotland and Northern Ireland (the ONS's baby-name lists and common-surname counts), and the street names found
 * in most British towns. Faker's en_GB locale falls back to US names for people, companies and streets, so these
 * lists replace it there.
 */

export const FEMALE_FIRST_NAMES: readonly string[] = (
  'Olivia Amelia Isla Ava Emily Sophia Grace Mia Poppy Ella Lily Evie Isabella Sophie Charlotte Jessica Emma Hannah ' +
  'Lucy Sarah Rebecca Laura Rachel Katie Claire Helen Nicola Joanne Karen Julie Susan Alison Fiona Gemma Hayley Amy ' +
  'Zoe Chloe Megan Holly Eleanor Harriet Priya Aisha Fatima Niamh Siobhan Catherine Elizabeth Margaret Jane Ruth ' +
  'Anna Victoria Natalie Louise Kirsty Jennifer Michelle Rhiannon Bethan Eilidh'
).split(' ');

export const MALE_FIRST_NAMES: readonly string[] = (
  'Oliver George Harry Jack Noah Charlie Jacob Alfie Freddie Thomas Oscar William James Joshua Daniel Samuel ' +
  'Benjamin Matthew Luke Adam Ryan Liam Callum Jamie Connor Lewis Ben Tom David Michael Paul Mark Andrew Richard ' +
  'Peter Stephen Simon Robert Christopher Ian Gareth Rhys Owen Dylan Hamish Euan Fraser Mohammed Amir Raj Arjun ' +
  'Sanjay Ciaran Declan Patrick Neil Graham Keith Nigel Martin'
).split(' ');

export const SURNAMES: readonly string[] = (
  'Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker ' +
  'White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris ' +
  'Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young ' +
  'Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan ' +
  'Marshall Anderson Simpson Ellis Adams Singh Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt ' +
  'Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens ' +
  'Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott ' +
  'Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson ' +
  'Ball Burton Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett ' +
  'Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding ' +
  'Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry ' +
  'Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton ' +
  'McDonald Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss McCarthy Chambers Griffin Sharp Hardy ' +
  'Wheeler Potter Osborne Johnston Gordon Doyle Wallace Jordan Hutchinson Rowe Burke Pritchard Gilbert Willis ' +
  "Higgins Miles Stevenson Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan O'Brien O'Neill"
).split(' ');

/** Words British firms take their names from: places, rivers and hills, and a few plain words. */
export const PLACE_WORDS: readonly string[] = (
  'Pennine Cotswold Severn Thames Mercia Wessex Northern Anglia Chiltern Mendip Solent Humber Tyne Clyde Cheviot ' +
  'Dales Fenland Weald Trent Avon Medway Malvern Peak Kestrel Heron Oakwood Ashfield Riverside Castle Abbey ' +
  'Meridian Crown Beacon Harbour Bridgewater Greenfield Wolds Downland Lakeland Moorland Broadland Tamar Ribble'
).split(' ');

/** What a customer does (they buy the reseller's equipment and services). */
export const CUSTOMER_TRADES: readonly string[] = [
  'Accountants',
  'Dental Practice',
  'Estate Agents',
  'Architects',
  'Joinery',
  'Engineering',
  'Print',
  'Logistics',
  'Veterinary Surgery',
  'Garden Centre',
  "Builders' Merchants",
  'Motors',
  'Opticians',
  'Solicitors',
  'Pharmacy',
  'Property Management',
  'Recruitment',
  'Catering',
  'Bakery',
  'Brewery',
  'Electrical Contractors',
  'Plumbing and Heating',
  'Surveyors',
  'Care Homes',
  'Training',
  'Design',
  'Marketing',
  'Packaging',
  'Interiors',
  'Fabrications',
];

/** What a supplier does, by the supplier category of `../traders.ts`. */
export const SUPPLIER_TRADES: Readonly<Record<string, readonly string[]>> = {
  materials: ['Components', 'Electronics', 'Distribution', 'Trade Supplies', 'Cables', 'Computer Wholesale'],
  subcontract: ['IT Services', 'Installations', 'Network Engineers', 'Technical Services'],
  carriage: ['Haulage', 'Freight', 'Couriers', 'Logistics', 'Transport'],
  electricity: ['Energy', 'Power'],
  telephone: ['Telecom', 'Communications', 'Broadband'],
  insurance: ['Insurance Brokers', 'Insurance Services'],
  legal: ['Solicitors', 'Legal Services'],
  stationery: ['Office Supplies', 'Stationers', 'Office Products'],
};

export const STREETS: readonly string[] = [
  'High Street',
  'Station Road',
  'Main Street',
  'Park Road',
  'Church Road',
  'Church Street',
  'London Road',
  'Victoria Road',
  'Green Lane',
  'Manor Road',
  'Church Lane',
  'Park Avenue',
  'The Avenue',
  'Queens Road',
  'New Road',
  'Grange Road',
  'Kings Road',
  'Mill Lane',
  'Albert Road',
  'Highfield Road',
  'Springfield Road',
  'The Crescent',
  'Chapel Street',
  'North Street',
  'Bridge Street',
  'Market Street',
  'Castle Street',
  'Queen Street',
  'King Street',
  'Water Lane',
  'West Street',
  'Alexandra Road',
  'Broadway',
  'Mill Road',
  'York Road',
  'Windsor Road',
  'Trinity Street',
];

export const ESTATES: readonly string[] = [
  'Riverside Business Park',
  'Phoenix Industrial Estate',
  'Enterprise Way',
  'Brunel Road',
  'Telford Way',
  'Whittle Road',
  'Faraday Court',
  'Kingsway Business Park',
  'Station Approach',
  'Canal Side',
  'Meadow Lane Industrial Estate',
  'Airport Trading Estate',
];
