import { readReply } from './opt-out-keywords';

// Each row: what a person texted, and why it must (or must not) stop the texts.
describe(`${readReply.name}: replies that opt out`, () => {
  it.each([
    ['STOP', 'the keyword itself'],
    ['stop', 'in any case'],
    [' Stop \n', 'with surrounding whitespace'],
    ['STOP.', 'with a full stop'],
    ['Stop!', 'with an exclamation mark'],
    ['STOP!!!', 'shouted'],
    ['"STOP"', 'in quotes'],
    ['Stop please', 'with "please" after it'],
    ['Please stop', 'with "please" before it'],
    ['stop pls', 'with "pls"'],
    ['STOP NOW', 'with "now"'],
    ['Stop, thank you', 'with thanks'],
    ['stop thanks', 'with "thanks"'],
    ['Ok stop', 'after "ok"'],
    ['STOP STOP STOP', 'repeated'],
    ['stop it', 'as "stop it"'],
    ['Stop all', 'as "stop all"'],
    ['No, stop', 'after "no"'],
    ['ＳＴＯＰ', 'in fullwidth letters (NFKC)'],
    ['STOP\u200b', 'with a zero-width space'],
    ['S\u200bTOP', 'split by a zero-width space'],
    ['\u202eSTOP', 'behind a bidi override'],
    ['\ufeffstop', 'behind a byte-order mark'],
    ['stop\u00a0', 'with a no-break space'],
    ['STOP 🛑', 'with an emoji'],
    ['🛑🛑 stop', 'after emoji'],
    ['Stop 🙏🏽', 'with a skin-toned emoji'],
    ['stop 😡😡', 'angrily'],
    ['STOPALL', 'STOPALL'],
    ['Unsubscribe', 'UNSUBSCRIBE'],
    ['Unsubscribe.', 'UNSUBSCRIBE with a full stop'],
    ['Unsubscribe me', 'as "unsubscribe me"'],
    ['unsubscribe me please', 'as "unsubscribe me please"'],
    ['Cancel', 'CANCEL'],
    ['cancel please', 'CANCEL with please'],
    ['END', 'END'],
    ['end.', 'END with a full stop'],
    ['Quit', 'QUIT'],
    ['quit it', 'as "quit it"'],
    ['OPTOUT', 'OPTOUT'],
    ['opt out', 'as two words'],
    ['Opt-out', 'hyphenated'],
    ['REVOKE', 'REVOKE'],
    ['opt me out', 'as "opt me out"'],
    ['please stop texting me', 'as "please stop texting me"'],
    ['Stop texting me!!', 'as "stop texting me"'],
    ['Stop messaging me', 'as "stop messaging me"'],
    ['stop sending me messages', 'as "stop sending me messages"'],
    ['Stop contacting me', 'as "stop contacting me"'],
    ['Stop texting me please, thank you', 'as a polite "stop texting me"'],
    ['Can you stop texting me?', 'as a question'],
    ['I said stop', 'as "I said stop"'],
    ['I said stop texting me', 'as "I said stop texting me"'],
    ['remove me', 'as "remove me"'],
    ['Remove me from your list', 'as "remove me from your list"'],
    ['please remove me from this list', 'as "please remove me from this list"'],
    ['Take me off your list', 'as "take me off your list"'],
    ['take me off your mailing list please', 'as "take me off your mailing list"'],
    ["don't text me", 'as "don\'t text me"'],
    ['Don’t text me again', 'with a typographic apostrophe'],
    ['dont text me anymore', 'without the apostrophe'],
    ['Do not text me', 'as "do not text me"'],
    ['DO NOT CONTACT ME', 'as "do not contact me"'],
    ['Do not message me anymore', 'as "do not message me anymore"'],
    ['no more texts', 'as "no more texts"'],
    ['No more messages please', 'as "no more messages"'],
    ['Leave me alone', 'as "leave me alone"'],
    ['Lose my number', 'as "lose my number"'],
    ['delete my number', 'as "delete my number"'],
  ])('%j opts out (%s)', (body) => {
    expect(readReply(body)).toEqual({ keyword: 'opt_out', optOutHint: false });
  });
});

describe(`${readReply.name}: replies that do not opt out but a person should read`, () => {
  it.each([
    ['Stop by at 5?', 'an invitation'],
    ['the bus stop is closed', 'a bus stop'],
    ['Please do not stop texting me', 'the opposite of an opt-out'],
    ["Don't stop", 'encouragement'],
    ["Can't stop laughing 😂", 'an idiom'],
    ['Full stop.', 'punctuation talk'],
    ['Where do I stop?', 'a question about a place'],
    ['Stop! You’re hilarious 😂', 'a joke'],
    ['Non-stop flights only', 'a compound word'],
    ['When does the sale end?', 'END in a question'],
    ['the end', 'END in a phrase'],
    ['I want to cancel my appointment', 'CANCEL of something else'],
    ['How do I cancel?', 'CANCEL of what, unsaid'],
    ['I might quit my job', 'QUIT of something else'],
    ['I never said stop texting me', 'a denied opt-out phrase'],
    ["Please don't remove me from the list", 'a refused removal'],
    ['Why did you stop texting me?', 'a complaint about silence'],
    ['stop texting me you idiot', 'an opt-out phrase with an insult: a person decides'],
  ])('%j does not opt out, but is flagged (%s)', (body) => {
    expect(readReply(body)).toEqual({ keyword: null, optOutHint: true });
  });
});

describe(`${readReply.name}: ordinary replies`, () => {
  it.each([
    ['Thanks!', 'thanks'],
    ['Yes please', 'an answer, not a re-subscription'],
    ['yes, see you at 5', 'an answer'],
    ['Stopping by later', 'a different word'],
    ['Quitting time!', 'a different word'],
    ['Remember me?', 'no keyword'],
    ['Remove the meeting from my calendar', 'REMOVE of something else'],
    ['Let’s start at 9', 'START in a sentence'],
    ['help me find the address', 'HELP in a sentence'],
    ['OK', 'a bare acknowledgement'],
    ['please', 'filler alone'],
    ['🛑', 'an emoji alone'],
    ['', 'nothing'],
    ['\u200b', 'only a zero-width space'],
    ['constructor', 'a prototype key'],
    ['__proto__', 'another prototype key'],
  ])('%j is neither a keyword nor flagged (%s)', (body) => {
    expect(readReply(body)).toEqual({ keyword: null, optOutHint: false });
  });
});

describe(`${readReply.name}: opting back in and asking for help`, () => {
  it.each([
    ['START', 'the keyword'],
    ['start', 'in any case'],
    ['Start please', 'with please'],
    ['UNSTOP', 'UNSTOP'],
    ['unstop.', 'UNSTOP with a full stop'],
    ['ＳＴＡＲＴ', 'in fullwidth letters'],
    ['YES', 'YES alone, as Twilio reads it'],
    [' yes ', 'YES alone with whitespace'],
  ])('%j opts back in (%s)', (body) => {
    expect(readReply(body)).toEqual({ keyword: 'opt_in', optOutHint: false });
  });

  it.each([
    ['HELP', 'the keyword'],
    ['help!', 'with punctuation'],
    ['Help please', 'with please'],
    ['INFO', 'INFO'],
    ['info?', 'INFO as a question'],
  ])('%j asks for help (%s)', (body) => {
    expect(readReply(body)).toEqual({ keyword: 'help', optOutHint: false });
  });
});
