import tseslint from "typescript-eslint";

// Lint without type information: `tsc --noEmit` is the type check, this catches the rest cheaply.
export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "sdks/talos/**/*.js", "**/*.d.ts", "policy/node_modules/**"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
);
