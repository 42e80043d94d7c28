/**
 * Words that name nothing on their own (articles, pronouns, prepositions, conjunctions,
 * auxiliaries, particles) in the spaced languages of the labelled corpus: English, Spanish, French
 * and German. A one-word `items: quoted` list item that is one of them is not an item (SPEC §11.2),
 * however often the conversation says it. Lowercase, with a plain apostrophe, as quotes are
 * compared. Words that are also ordinary nouns in another of these languages (German `war`, `hat`,
 * `bin`, `man`) are left out.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  [
    // English
    'a an the this that these those there here',
    'i me my mine myself you your yours he him his she her hers it its we us our ours they them their theirs',
    'who whom whose which what when where why how',
    'of in on at to for from by with about as into onto over under up down out off than then',
    'and or but nor so if because though although while',
    'be am is are was were been being do does did done have has had having',
    'will would shall should can could may might must',
    'not no yes yeah yep ok okay oh ah um uh hmm mm',
    'just very too also only even still all any some each every both either neither none',
    "i'm i've i'll i'd you're you've you'll you'd he's she's it's we're we've we'll we'd they're they've",
    "they'll that's there's what's let's don't doesn't didn't can't won't isn't aren't wasn't weren't",
    "haven't hasn't wouldn't couldn't shouldn't",
    // Spanish
    'el la los las lo un una unos unas del al y o u e pero que qué en con por para sin se su sus',
    'mi mis tu tus yo tú él ella ellos ellas nosotros es son está están fue ser estar muy más sí ya',
    'como cuando donde este esta ese esa',
    // French
    'le les une des du de et ou mais qui dans sur par avec sans ce cet cette ces il elle ils elles',
    'je nous vous sa ses mon ma mes ton ta tes est sont était être avoir ai avons ont pas ne oui non',
    'très aussi comme',
    // German
    'der die das den dem des ein eine einen einem einer und oder aber dass im auf aus bei mit nach',
    'von vor zu zum zur für über unter ich du er sie es wir ihr ihm ihn uns euch mein dein sein ist',
    'sind waren bist haben hatte wird werden nicht kein keine ja nein sehr auch noch nur schon wie',
    'wenn als',
  ].flatMap((line) => line.split(' ')),
);
