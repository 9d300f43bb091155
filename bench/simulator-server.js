'use strict';
// The Twilio simulator in a process of its own, so that "the simulator's own time" is
// measured across a process boundary exactly as the bridge reaches it.
const { join } = require('node:path');
const { TwilioSimulator } = require(
  join(__dirname, '..', 'dist', 'twilio', 'simulator', 'twilio-simulator.js'),
);

const simulator = new TwilioSimulator({
  accountSid: process.env.ACCOUNT_SID,
  authToken: process.env.AUTH_TOKEN,
});
simulator.listen(Number(process.env.PORT)).then(() => process.stdout.write('listening\n'));
