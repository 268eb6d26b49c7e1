import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The arrows of the codebase: contracts → generated bindings → sdk → web and services. Each zone lists what it may
// not import; a violation fails `npm run lint` (and so CI).
const nodeBuiltins = {
  group: ["node:*", ...builtinModules.filter((name) => !name.startsWith("_"))],
  message: "Node built-ins are not available in the browser: the sdk and the dApp must run there.",
};
/** A relative import that reaches into one of `folders` from another top-level folder. */
const relativeInto = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join("|")})(/|$)`,
  message:
    "Across top-level folders, import by package name and along the arrows (contracts → bindings → sdk → web and services).",
});
const packages = (...names) => ({
  regex: `^@earnest/(${names.join("|")})(/|$)`,
  message: "This import points against the arrows: contracts → bindings → sdk → web and services.",
});

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "coverage/",
      "types/",
      "sdk/generated/",
      "ignition/deployments/",
      "web/dist/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "scripts/*.mjs", "web/public/*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // The dApp's service worker, plain JS served as is.
    files: ["web/public/sw.js"],
    languageOptions: {
      globals: { self: "readonly", caches: "readonly", fetch: "readonly", URL: "readonly", Promise: "readonly" },
    },
  },
  {
    // node:test's describe/it return promises that the runner awaits.
    files: ["test/**/*.ts", "web/e2e/**/*.ts"],
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
  {
    // The sdk: browser-safe, and below everything that uses it.
    files: ["sdk/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            nodeBuiltins,
            relativeInto("web", "services", "cli", "scripts", "test", "ignition"),
            packages("web", "notifier", "relayer", "service-kit", "audit-cli"),
            {
              group: ["hardhat", "hardhat/*", "react", "react-dom", "wagmi", "wagmi/*"],
              message: "The sdk depends on viem only.",
            },
          ],
        },
      ],
    },
  },
  {
    // The dApp: the sdk by its name, nothing of the services, command lines, scripts or tests, no Node.
    files: ["web/src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            nodeBuiltins,
            relativeInto("sdk", "services", "cli", "scripts", "test", "ignition"),
            packages("notifier", "relayer", "service-kit", "audit-cli"),
            { group: ["hardhat", "hardhat/*"], message: "Hardhat is build tooling, not part of the dApp." },
          ],
        },
      ],
    },
  },
  {
    // Services and command lines: the sdk by its name; never the dApp, scripts or tests.
    files: ["services/**/*.ts", "cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            relativeInto("sdk", "web", "scripts", "test", "ignition", "services", "cli"),
            packages("web"),
            {
              group: ["react", "react-dom", "wagmi", "hardhat", "hardhat/*"],
              message: "Services run on Node with viem and the sdk.",
            },
          ],
        },
      ],
    },
  },
);
