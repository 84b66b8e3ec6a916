/**
 * Overseas customers' addresses and names in their own country's format: Irish Eircodes (`D02 C4F7`), Dutch
 * postcodes (`1012 AB`), French and German five-digit postcodes, US ZIP codes with the state in the county field.
 * Towns and postcodes are real; the Irish and Dutch codes are built in the published format from random digits.
 */

/** An address's town, county (region or US state) and postcode. */
export interface Locality {
  city: string;
  county: string;
  postcode: string;
}

interface OverseasCountry {
  /** Builds the locality from five random digits: the first picks the town. */
  locality(digits: string): Locality;
  /** The address's first line from a house number and a street. */
  line(number: number, street: string): string;
  streets: readonly string[];
  surnames: readonly string[];
  trades: readonly string[];
  forms: readonly string[];
}

const at = <T>(items: readonly T[], index: number): T => items[index % items.length]!;

/** The letters an Eircode's unique identifier uses (with digits); a Dutch postcode's letters avoid SA, SD and SS. */
const EIRCODE_LETTERS = 'ACDEFHKNPR';
const DUTCH_LETTERS = 'ABCDEGHJKL';

const IRISH_TOWNS: readonly [town: string, county: string, routingKey: string][] = [
  ['Dublin 2', 'Co. Dublin', 'D02'],
  ['Dublin 8', 'Co. Dublin', 'D08'],
  ['Dublin 15', 'Co. Dublin', 'D15'],
  ['Cork', 'Co. Cork', 'T12'],
  ['Galway', 'Co. Galway', 'H91'],
  ['Limerick', 'Co. Limerick', 'V94'],
  ['Waterford', 'Co. Waterford', 'X91'],
];

const DUTCH_TOWNS: readonly [town: string, province: string, firstTwo: string][] = [
  ['Amsterdam', 'Noord-Holland', '10'],
  ['Rotterdam', 'Zuid-Holland', '30'],
  ['Den Haag', 'Zuid-Holland', '25'],
  ['Utrecht', 'Utrecht', '35'],
  ['Eindhoven', 'Noord-Brabant', '56'],
];

/** Five-digit postcodes from `first` to `last`. */
const range = (first: number, last: number): string[] =>
  Array.from({ length: last - first + 1 }, (_, i) => String(first + i).padStart(5, '0'));

const FRENCH_TOWNS: readonly [town: string, region: string, postcodes: readonly string[]][] = [
  ['Paris', 'Île-de-France', range(75001, 75020)],
  ['Lyon', 'Auvergne-Rhône-Alpes', range(69001, 69009)],
  ['Lille', 'Hauts-de-France', ['59000', '59160', '59260', '59800']],
  ['Bordeaux', 'Nouvelle-Aquitaine', ['33000', '33100', '33200', '33300', '33800']],
  ['Nantes', 'Pays de la Loire', ['44000', '44100', '44200', '44300']],
  ['Toulouse', 'Occitanie', ['31000', '31100', '31200', '31300', '31400', '31500']],
];

const GERMAN_TOWNS: readonly [town: string, state: string, postcodes: readonly string[]][] = [
  [
    'Berlin',
    'Berlin',
    ['10115', '10117', '10178', '10243', '10405', '10435', '10551', '10707', '10969', '12099'],
  ],
  [
    'Hamburg',
    'Hamburg',
    ['20095', '20097', '20099', '20144', '20354', '20457', '22041', '22085', '22297', '22767'],
  ],
  [
    'München',
    'Bayern',
    ['80331', '80333', '80335', '80469', '80538', '80636', '80797', '81241', '81369', '81675'],
  ],
  [
    'Köln',
    'Nordrhein-Westfalen',
    ['50667', '50668', '50670', '50672', '50674', '50676', '50733', '50823', '50933', '51063'],
  ],
  [
    'Frankfurt am Main',
    'Hessen',
    ['60306', '60308', '60311', '60313', '60314', '60316', '60318', '60322', '60325', '60329'],
  ],
];

const US_TOWNS: readonly [town: string, state: string, zips: readonly string[]][] = [
  [
    'New York',
    'NY',
    ['10001', '10002', '10003', '10010', '10011', '10016', '10017', '10018', '10019', '10022'],
  ],
  [
    'Chicago',
    'IL',
    ['60601', '60602', '60603', '60604', '60605', '60606', '60607', '60610', '60611', '60614'],
  ],
  [
    'Boston',
    'MA',
    ['02108', '02109', '02110', '02111', '02113', '02114', '02115', '02116', '02118', '02210'],
  ],
  [
    'Seattle',
    'WA',
    ['98101', '98102', '98103', '98104', '98105', '98107', '98109', '98112', '98121', '98122'],
  ],
];

/** A town from a list with real postcodes: the first digit picks the town, the next two its postcode. */
function listed(towns: readonly [string, string, readonly string[]][], digits: string): Locality {
  const [city, county, postcodes] = at(towns, Number(digits[0]));
  return { city, county, postcode: at(postcodes, Number(digits.slice(1, 3))) };
}

const COUNTRIES: Readonly<Record<string, OverseasCountry>> = {
  IE: {
    locality: (d) => {
      const [city, county, routingKey] = at(IRISH_TOWNS, Number(d[0]));
      const unique = `${EIRCODE_LETTERS[Number(d[1])]}${d[2]}${EIRCODE_LETTERS[Number(d[3])]}${d[4]}`;
      return { city, county, postcode: `${routingKey} ${unique}` };
    },
    line: (n, street) => `${n} ${street}`,
    streets: [
      'Main Street',
      "O'Connell Street",
      'Harcourt Street',
      'Baggot Street',
      'Patrick Street',
      'Dock Road',
    ],
    surnames: [
      'Murphy',
      'Kelly',
      "O'Sullivan",
      'Walsh',
      'Byrne',
      'Ryan',
      "O'Connor",
      'Doyle',
      'McCarthy',
      'Gallagher',
    ],
    trades: ['Office Systems', 'Print and Design', 'Engineering', 'Distribution', 'Accountants'],
    forms: ['Ltd', 'Limited', 'DAC'],
  },
  NL: {
    locality: (d) => {
      const [city, county, firstTwo] = at(DUTCH_TOWNS, Number(d[0]));
      const letters = `${DUTCH_LETTERS[Number(d[3])]}${DUTCH_LETTERS[Number(d[4])]}`;
      return { city, county, postcode: `${firstTwo}${1 + (Number(d[1]) % 9)}${d[2]} ${letters}` };
    },
    line: (n, street) => `${street} ${n}`,
    streets: ['Keizersgracht', 'Herengracht', 'Stationsplein', 'Kerkstraat', 'Industrieweg', 'Oudegracht'],
    surnames: [
      'de Jong',
      'Jansen',
      'de Vries',
      'van den Berg',
      'van Dijk',
      'Bakker',
      'Visser',
      'Smit',
      'Meijer',
    ],
    trades: ['Kantoorsystemen', 'Techniek', 'Logistiek', 'Drukkerij', 'Installatie'],
    forms: ['B.V.'],
  },
  FR: {
    locality: (d) => listed(FRENCH_TOWNS, d),
    line: (n, street) => `${n} ${street}`,
    streets: [
      'rue de la République',
      'avenue Jean Jaurès',
      'boulevard Voltaire',
      'rue Victor Hugo',
      'quai de la Loire',
    ],
    surnames: [
      'Martin',
      'Bernard',
      'Dubois',
      'Thomas',
      'Robert',
      'Richard',
      'Petit',
      'Durand',
      'Leroy',
      'Moreau',
    ],
    trades: ['Informatique', 'Bureautique', 'Imprimerie', 'Logistique', 'Conseil'],
    forms: ['SARL', 'SAS'],
  },
  DE: {
    locality: (d) => listed(GERMAN_TOWNS, d),
    line: (n, street) => `${street} ${n}`,
    streets: [
      'Hauptstraße',
      'Bahnhofstraße',
      'Friedrichstraße',
      'Schillerstraße',
      'Gartenstraße',
      'Industriestraße',
    ],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann'],
    trades: ['Bürotechnik', 'Elektronik', 'Druck', 'Logistik', 'Systemhaus'],
    forms: ['GmbH', 'GmbH & Co. KG', 'AG'],
  },
  US: {
    locality: (d) => listed(US_TOWNS, d),
    line: (n, street) => `${n} ${street}`,
    streets: ['Market Street', 'Main Street', 'Broadway', 'Madison Avenue', 'Commerce Drive', 'Harbor Way'],
    surnames: ['Johnson', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Anderson', 'Jackson', 'Harris', 'Clark'],
    trades: ['Office Systems', 'Technologies', 'Print Solutions', 'Logistics', 'Industries'],
    forms: ['Inc.', 'LLC', 'Corp.'],
  },
};

/** The overseas country's address and naming conventions; throws for a country the seed does not trade with. */
export function overseasCountry(code: string): OverseasCountry {
  const country = COUNTRIES[code];
  if (country === undefined) throw new Error(`overseas: no address format for ${code}`);
  return country;
}

export type { OverseasCountry };
