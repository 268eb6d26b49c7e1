// The dApp as a Safe App: Safe's web interface loads it in an iframe and answers the Safe Apps SDK's messages.
// Imported only from inside an iframe (see wagmi.ts), so neither this nor the SDK is part of a normal first load.
import type { Config } from "wagmi";
import { connect } from "wagmi/actions";
import { safe } from "wagmi/connectors";

/** How long the host page may take to tell the Safe it holds; an iframe that is not Safe's never answers.
 *  (wagmi's default, 10 ms, is shorter than a busy phone takes to answer at all.) */
const SAFE_INFO_TIMEOUT_MS = 1_500;

/** Connects to the Safe that frames the dApp; its account is the Safe's address. Does nothing when the frame is
 *  not Safe's (the connector finds no Safe and the page stays as it was, with the wallet picker). */
export async function connectSafeApp(config: Config): Promise<boolean> {
  const connector = safe({ unstable_getInfoTimeout: SAFE_INFO_TIMEOUT_MS });
  try {
    await connect(config, { connector });
    return true;
  } catch {
    return false;
  }
}
