// `npm run notifier [-- flags]`: runs the notifier until SIGTERM or SIGINT. See services/notifier/README.md.
//   npm run notifier -- dead-letters          lists deliveries given up on
//   npm run notifier -- retry-dead-letters    puts them back in the queue (a running notifier picks them up)
import { runService, UnknownOptionError } from "@earnest/service-kit";
import { loadConfig, parseArgs } from "./config.js";
import { Notifier } from "./service.js";
import { Store } from "./store.js";

runService("notifier", async () => {
  const { flags, commands } = parseArgs(process.argv.slice(2));
  const config = loadConfig(flags);
  const command = commands[0];
  if (command === "dead-letters" || command === "retry-dead-letters") {
    const store = new Store(config.db);
    if (command === "dead-letters") {
      for (const letter of store.deadLetters()) console.log(JSON.stringify(letter));
    } else {
      console.log(`${store.retryDeadLetters(Date.now())} dead letters queued again.`);
    }
    store.close();
    return undefined;
  }
  if (command !== undefined) throw new UnknownOptionError(`Unknown command "${command}".`);
  return Notifier.start(config);
});
