// Sweden's 290 municipalities (kommuner), as data for the review's warnings (domain/granskning.ts):
// "Anna från Kumla" points out a person to anyone in Kumla. Source: SCB's list of municipalities
// (Kommunkoder, "Kommuner och län", valid from 2020), by county; the names as SCB writes them.

export const MUNICIPALITIES: readonly string[] = [
  // Stockholms län
  'Botkyrka', 'Danderyd', 'Ekerö', 'Haninge', 'Huddinge', 'Järfälla', 'Lidingö', 'Nacka', 'Norrtälje', 'Nykvarn', 'Nynäshamn', 'Salem', 'Sigtuna', 'Sollentuna', 'Solna', 'Stockholm', 'Sundbyberg',
  'Södertälje', 'Tyresö', 'Täby', 'Upplands Väsby', 'Upplands-Bro', 'Vallentuna', 'Vaxholm', 'Värmdö', 'Österåker',
  // Uppsala län
  'Enköping', 'Heby', 'Håbo', 'Knivsta', 'Tierp', 'Uppsala', 'Älvkarleby', 'Östhammar',
  // Södermanlands län
  'Eskilstuna', 'Flen', 'Gnesta', 'Katrineholm', 'Nyköping', 'Oxelösund', 'Strängnäs', 'Trosa', 'Vingåker',
  // Östergötlands län
  'Boxholm', 'Finspång', 'Kinda', 'Linköping', 'Mjölby', 'Motala', 'Norrköping', 'Söderköping', 'Vadstena', 'Valdemarsvik', 'Ydre', 'Åtvidaberg', 'Ödeshög',
  // Jönköpings län
  'Aneby', 'Eksjö', 'Gislaved', 'Gnosjö', 'Habo', 'Jönköping', 'Mullsjö', 'Nässjö', 'Sävsjö', 'Tranås', 'Vaggeryd', 'Vetlanda', 'Värnamo',
  // Kronobergs län
  'Alvesta', 'Lessebo', 'Ljungby', 'Markaryd', 'Tingsryd', 'Uppvidinge', 'Växjö', 'Älmhult',
  // Kalmar län
  'Borgholm', 'Emmaboda', 'Hultsfred', 'Högsby', 'Kalmar', 'Mönsterås', 'Mörbylånga', 'Nybro', 'Oskarshamn', 'Torsås', 'Vimmerby', 'Västervik',
  // Gotlands län
  'Gotland',
  // Blekinge län
  'Karlshamn', 'Karlskrona', 'Olofström', 'Ronneby', 'Sölvesborg',
  // Skåne län
  'Bjuv', 'Bromölla', 'Burlöv', 'Båstad', 'Eslöv', 'Helsingborg', 'Hässleholm', 'Höganäs', 'Hörby', 'Höör', 'Klippan', 'Kristianstad', 'Kävlinge', 'Landskrona', 'Lomma', 'Lund', 'Malmö',
  'Osby', 'Perstorp', 'Simrishamn', 'Sjöbo', 'Skurup', 'Staffanstorp', 'Svalöv', 'Svedala', 'Tomelilla', 'Trelleborg', 'Vellinge', 'Ystad', 'Åstorp', 'Ängelholm', 'Örkelljunga', 'Östra Göinge',
  // Hallands län
  'Falkenberg', 'Halmstad', 'Hylte', 'Kungsbacka', 'Laholm', 'Varberg',
  // Västra Götalands län
  'Ale', 'Alingsås', 'Bengtsfors', 'Bollebygd', 'Borås', 'Dals-Ed', 'Essunga', 'Falköping', 'Färgelanda', 'Grästorp', 'Gullspång', 'Göteborg', 'Götene', 'Herrljunga', 'Hjo', 'Härryda', 'Karlsborg',
  'Kungälv', 'Lerum', 'Lidköping', 'Lilla Edet', 'Lysekil', 'Mariestad', 'Mark', 'Mellerud', 'Munkedal', 'Mölndal', 'Orust', 'Partille', 'Skara', 'Skövde', 'Sotenäs', 'Stenungsund', 'Strömstad',
  'Svenljunga', 'Tanum', 'Tibro', 'Tidaholm', 'Tjörn', 'Tranemo', 'Trollhättan', 'Töreboda', 'Uddevalla', 'Ulricehamn', 'Vara', 'Vårgårda', 'Vänersborg', 'Åmål', 'Öckerö',
  // Värmlands län
  'Arvika', 'Eda', 'Filipstad', 'Forshaga', 'Grums', 'Hagfors', 'Hammarö', 'Karlstad', 'Kil', 'Kristinehamn', 'Munkfors', 'Storfors', 'Sunne', 'Säffle', 'Torsby', 'Årjäng',
  // Örebro län
  'Askersund', 'Degerfors', 'Hallsberg', 'Hällefors', 'Karlskoga', 'Kumla', 'Laxå', 'Lekeberg', 'Lindesberg', 'Ljusnarsberg', 'Nora', 'Örebro',
  // Västmanlands län
  'Arboga', 'Fagersta', 'Hallstahammar', 'Kungsör', 'Köping', 'Norberg', 'Sala', 'Skinnskatteberg', 'Surahammar', 'Västerås',
  // Dalarnas län
  'Avesta', 'Borlänge', 'Falun', 'Gagnef', 'Hedemora', 'Leksand', 'Ludvika', 'Malung-Sälen', 'Mora', 'Orsa', 'Rättvik', 'Smedjebacken', 'Säter', 'Vansbro', 'Älvdalen',
  // Gävleborgs län
  'Bollnäs', 'Gävle', 'Hofors', 'Hudiksvall', 'Ljusdal', 'Nordanstig', 'Ockelbo', 'Ovanåker', 'Sandviken', 'Söderhamn',
  // Västernorrlands län
  'Härnösand', 'Kramfors', 'Sollefteå', 'Sundsvall', 'Timrå', 'Ånge', 'Örnsköldsvik',
  // Jämtlands län
  'Berg', 'Bräcke', 'Härjedalen', 'Krokom', 'Ragunda', 'Strömsund', 'Åre', 'Östersund',
  // Västerbottens län
  'Bjurholm', 'Dorotea', 'Lycksele', 'Malå', 'Nordmaling', 'Norsjö', 'Robertsfors', 'Skellefteå', 'Sorsele', 'Storuman', 'Umeå', 'Vilhelmina', 'Vindeln', 'Vännäs', 'Åsele',
  // Norrbottens län
  'Arjeplog', 'Arvidsjaur', 'Boden', 'Gällivare', 'Haparanda', 'Jokkmokk', 'Kalix', 'Kiruna', 'Luleå', 'Pajala', 'Piteå', 'Älvsbyn', 'Överkalix', 'Övertorneå',
];

/**
 * Municipality names that are also common Swedish words, capitalised only at the start of a
 * sentence ("Mark och lokaler …", "Vara med …", "Berg …"): flagged only elsewhere.
 */
export const PLACES_ALSO_WORDS: ReadonlySet<string> = new Set(['Berg', 'Boden', 'Kil', 'Lund', 'Mark', 'Skara', 'Säter', 'Vara']);

/**
 * The place in a member organisation's name: "Kumla kommun" → Kumla, "Hallsbergs kommun" →
 * Hallsberg (and the genitive as written), "Region Örebro län" → Örebro; none for a national
 * authority ("Försäkringskassan", "Arbetsförmedlingen").
 */
export function placesOfMember(name: string): string[] {
  const n = name.trim().replace(/\s+/g, ' ');
  let m = /^(.+?) (?:kommun|stad|kommunförbund)$/i.exec(n);
  if (m) return withoutGenitive(m[1]);
  m = /^Region (.+?)(?: län)?$/i.exec(n);
  if (m) return withoutGenitive(m[1]);
  m = /^(.+?)s? läns? landsting$/i.exec(n);
  if (m) return withoutGenitive(m[1]);
  return [];
}

const withoutGenitive = (s: string): string[] => {
  const known = new Set(MUNICIPALITIES);
  // "Hallsbergs" → Hallsberg, but "Askersund" and "Borås" end in s of their own.
  if (s.endsWith('s') && !known.has(s) && s.length > 3) return [s.slice(0, -1), s];
  return [s];
};
