import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { loadNamespaces } from "./i18n";

// Components are rendered without the pages that would load their messages.
await loadNamespaces("merchant", "audit", "ledger", "pass");

afterEach(cleanup);
