// Common Swedish given names, as data for the review's warnings (domain/granskning.ts): a report's
// text that names a participant ("En deltagare, Anna från Kumla, fick jobb.") must not be published.
//
// Source: Statistiska centralbyrån (SCB), Namnstatistik — "Namn med minst 10 bärare" and the most
// common tilltalsnamn (the name a person is called by) of women and of men in the population,
// together with the most common names given to newborns of recent years (SCB, "Vanligaste
// tilltalsnamnen bland nyfödda"), so that the names of today's adults and of today's young
// participants are both here. Written out by hand from those tables (no npm package carries
// Swedish names); a few hundred, each the form SCB lists (with its common variant spellings, e.g.
// Linnea/Linnéa, Karl/Carl). The list is a tool for warnings, not a register: a name not here is
// not flagged, and a reviewer reads every text anyway.
//
// Names that are also ordinary Swedish words (NAMES_ALSO_WORDS: "Per" as in "per kvartal", "Bo",
// "Maj" the month, "Inga" as in "inga deltagare", "Hans" the pronoun, "Dag", "Björn" …) are
// flagged only where a word would not be capitalised: not at the start of a sentence. Matching is
// case-sensitive on the capital, so "per", "bo", "maj" and "inga" in running text are never names.
// "Ronja" is not a Swedish word and is flagged as any name.

export const WOMEN: readonly string[] = [
  'Agnes', 'Agneta', 'Alexandra', 'Alice', 'Alicia', 'Alma', 'Alva', 'Amanda', 'Amelia', 'Amina', 'Angelica', 'Ann', 'Anna', 'Anne', 'Anneli', 'Annelie', 'Anette', 'Annette', 'Anita', 'Annika',
  'Astrid', 'Aurora', 'Barbro', 'Berit', 'Birgitta', 'Britt', 'Camilla', 'Carina', 'Caroline', 'Cecilia', 'Charlotte', 'Dagny', 'Ebba', 'Edith', 'Elin', 'Elina', 'Elisabet', 'Elisabeth', 'Ella', 'Ellen',
  'Ellie', 'Elsa', 'Elsie', 'Elvira', 'Emelie', 'Emilia', 'Emma', 'Emmy', 'Ester', 'Eva', 'Evelina', 'Ewa', 'Fatima', 'Felicia', 'Freja', 'Frida', 'Gerd', 'Greta', 'Gun', 'Gunilla',
  'Hanna', 'Hannah', 'Hedda', 'Hedvig', 'Helen', 'Helena', 'Hilda', 'Ida', 'Inga', 'Ingeborg', 'Ingegerd', 'Ingela', 'Inger', 'Ingrid', 'Ines', 'Irene', 'Iris', 'Isabella', 'Isabelle', 'Jeanette',
  'Jennifer', 'Jenny', 'Jessica', 'Johanna', 'Josefin', 'Josefine', 'Julia', 'Juni', 'Karin', 'Karolina', 'Katarina', 'Kerstin', 'Klara', 'Kristina', 'Lea', 'Leah', 'Lena', 'Lilly', 'Lina', 'Linda',
  'Linn', 'Linnea', 'Linnéa', 'Lisa', 'Lisbeth', 'Liv', 'Lotta', 'Louise', 'Lova', 'Lovisa', 'Luna', 'Madeleine', 'Maj', 'Maja', 'Majken', 'Majvor', 'Malin', 'Margareta', 'Maria', 'Marianne',
  'Marie', 'Matilda', 'Meja', 'Mia', 'Michaela', 'Mikaela', 'Minna', 'Mira', 'Moa', 'Molly', 'Mona', 'Monica', 'Märta', 'Natalie', 'Nellie', 'Nora', 'Nova', 'Olivia', 'Paulina', 'Petra',
  'Pia', 'Rebecka', 'Ronja', 'Rut', 'Ruth', 'Saga', 'Sandra', 'Sara', 'Selma', 'Signe', 'Sigrid', 'Siri', 'Siv', 'Sofia', 'Sofie', 'Solveig', 'Stella', 'Stina', 'Susanne', 'Svea',
  'Thea', 'Therese', 'Tilda', 'Tindra', 'Tove', 'Tuva', 'Tyra', 'Ulla', 'Ulrika', 'Vanja', 'Vera', 'Veronica', 'Vilma', 'Viola', 'Wilma', 'Yasmin', 'Ylva', 'Yvonne', 'Åsa',
];

export const MEN: readonly string[] = [
  'Adam', 'Ahmed', 'Albin', 'Alexander', 'Alfred', 'Ali', 'Anders', 'Andreas', 'Anton', 'Arne', 'Arvid', 'August', 'Axel', 'Benjamin', 'Bengt', 'Bertil', 'Birger', 'Björn', 'Bo', 'Carl',
  'Charlie', 'Christer', 'Christian', 'Christoffer', 'Claes', 'Colin', 'Conny', 'Dag', 'Daniel', 'David', 'Dennis', 'Ebbe', 'Edvin', 'Einar', 'Elias', 'Elton', 'Emanuel', 'Emil', 'Erik', 'Evert',
  'Felix', 'Filip', 'Folke', 'Frans', 'Fredrik', 'Gabriel', 'Gunnar', 'Gustaf', 'Gustav', 'Göran', 'Gösta', 'Hampus', 'Hans', 'Harry', 'Hassan', 'Helge', 'Henrik', 'Holger', 'Hugo', 'Håkan',
  'Ibrahim', 'Ingemar', 'Isak', 'Ivar', 'Jack', 'Jacob', 'Jakob', 'Jan', 'Jesper', 'Jimmy', 'Joakim', 'Johan', 'Johannes', 'Jonas', 'Jonathan', 'Josef', 'Jörgen', 'Karl', 'Kenneth', 'Kent',
  'Kevin', 'Kjell', 'Kristian', 'Kristoffer', 'Kurt', 'Lars', 'Leif', 'Lennart', 'Leo', 'Liam', 'Linus', 'Loke', 'Love', 'Lucas', 'Ludvig', 'Lukas', 'Magnus', 'Malte', 'Marcus', 'Markus',
  'Martin', 'Mats', 'Mattias', 'Melker', 'Melvin', 'Mikael', 'Milo', 'Mio', 'Mohamed', 'Mohammad', 'Mohammed', 'Niklas', 'Nils', 'Noah', 'Ola', 'Olle', 'Olof', 'Oliver', 'Omar', 'Oscar',
  'Oskar', 'Otto', 'Ove', 'Patrik', 'Per', 'Peter', 'Pontus', 'Ragnar', 'Rasmus', 'Robert', 'Robin', 'Roger', 'Roland', 'Rolf', 'Rune', 'Samuel', 'Sebastian', 'Sigge', 'Sigvard', 'Simon',
  'Sixten', 'Stefan', 'Sten', 'Stig', 'Sune', 'Sven', 'Tage', 'Theo', 'Thomas', 'Tim', 'Tobias', 'Tom', 'Tomas', 'Tommy', 'Torbjörn', 'Ture', 'Ulf', 'Urban', 'Valdemar', 'Valter',
  'Viggo', 'Viktor', 'Vincent', 'Walter', 'Wilhelm', 'William', 'Wilmer', 'Yngve', 'Yusuf', 'Åke',
];

/** Every name of the list, women's and men's. */
export const FIRST_NAMES: ReadonlySet<string> = new Set([...WOMEN, ...MEN]);

/**
 * Names that are also common Swedish words, capitalised only at the start of a sentence ("Per
 * kvartal …", "Inga deltagare …", "Hans mål …", "Maj var en bra månad"): flagged only elsewhere.
 */
export const NAMES_ALSO_WORDS: ReadonlySet<string> = new Set(['Axel', 'Björn', 'Bo', 'Dag', 'Gun', 'Hans', 'Inga', 'Iris', 'Juni', 'Karl', 'Klara', 'Liv', 'Love', 'Maj', 'Per', 'Rut', 'Saga', 'Sten', 'Stig', 'Tom', 'Viola']);
