// The structure `npm run lint` holds (issue 11): no import cycles; the program (index.ts, components/)
// never imports the tools, the tests or the provider plugin; the tools and the policy pack never import the tests.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "no-cycles",
            severity: "error",
            comment: "A cycle makes load order matter and hides which module owns a fact.",
            from: {},
            to: { circular: true },
        },
        {
            name: "program-not-tools-or-tests",
            severity: "error",
            comment: "The program runs under `pulumi up`; tools and tests are not part of it.",
            from: { path: "^(components/|index\\.ts$)" },
            to: { path: "^(tools|test)/" },
        },
        {
            name: "program-not-provider",
            severity: "error",
            comment: "Our custom resources' operations run in the provider plugin (provider/), never in the program's process.",
            from: { path: "^(components/|index\\.ts$)" },
            to: { path: "^provider/" },
        },
        {
            name: "tools-and-policy-not-tests",
            severity: "error",
            comment: "The offline engine and reports live under tools/; nothing outside test/ imports test/.",
            from: { path: "^(tools|policy)/" },
            to: { path: "^test/" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(node_modules|bin|sdks|policy/node_modules)/" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
    },
};
