// ESLint: the recommended rules of ESLint and typescript-eslint, with formatting left to Prettier
// (eslint-config-prettier turns off the rules it owns). `npm run lint` runs this and `prettier --check`.
// Type-aware rules are off: they need a full type-check per run, which `npm run typecheck` already does.
import eslint from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Build output, the offline Pulumi CLI, benchmark results and local stack state: not sources.
  { ignores: ["dist/", ".tools/", "**/node_modules/", "bench/out/", ".pulumi-state/"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Matching control characters is deliberate here: escaping them is how server text and
      // user input reach a terminal or a log safely.
      "no-control-regex": "off",
      // `import x = require()` is TypeScript's import of a CommonJS module as the module object itself
      // (the network guard patches node:net in place; @alicloud/pop-core exports a class).
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      // Omitting keys by destructuring into a rest object is the idiom for "all but these".
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    // Plain CommonJS run by Node as is (the language host, a test program): require is its import.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
