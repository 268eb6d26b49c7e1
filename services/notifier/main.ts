// `npm run notifier [-- flags]`: runs the notifier until SIGTERM or SIGINT. See services/notifier/README.md.
//   npm run notifier -- dead-letters          lists deliveries given up on
//   npm run notifier -- retry-dead-letters    puts them back in the queue (a running notifier picks them up)
// Only the runner is loaded up front, so that a signal is handled from the first moment; the rest loads in main.
import { runService } from "@earnest/service-kit/run";

runService("notifier", async () => {
  const [{ UnknownOptionError }, { loadConfig, parseArgs }, { Notifier }, { Store }] = await Promise.all([
    import("@earnest/service-kit"),
    import("./config.js"),
    import("./service.js"),
    import("./store.js"),
  ]);
  return async () => {
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
  };
});
