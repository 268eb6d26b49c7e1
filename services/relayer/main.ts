// `npm run relayer [-- flags]`: runs the relayer until SIGTERM or SIGINT. See services/relayer/README.md.
// Only the runner is loaded up front, so that a signal is handled from the first moment; the rest loads in main.
import { runService } from "@earnest/service-kit/run";

runService("relayer", async () => {
  const [{ loadConfig, parseArgs }, { Relayer }] = await Promise.all([import("./config.js"), import("./service.js")]);
  return () => Relayer.start(loadConfig(parseArgs(process.argv.slice(2))));
});
