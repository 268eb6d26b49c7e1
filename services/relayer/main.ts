// `npm run relayer [-- flags]`: runs the relayer until SIGTERM or SIGINT. See services/relayer/README.md.
import { runService } from "@earnest/service-kit";
import { loadConfig, parseArgs } from "./config.js";
import { Relayer } from "./service.js";

runService("relayer", () => Relayer.start(loadConfig(parseArgs(process.argv.slice(2)))));
