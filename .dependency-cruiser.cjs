// The structure `npm run lint` holds (issue 11): no import cycles; the program (index.ts, components/)
// never imports the tools, the tests or the provider plugin; the tools and the policy pack never import the tests.
// And (issue 23) the pure side stays pure: the config and every area's plan/ import nothing of Pulumi at run time
// (`import type` is fine), and nothing of the project that is not pure itself, so that holds all the way down.

/** The pure side: components/config/, each area's plan/ folder, the pinned versions. */
const pure = "^components/(config/|[^/]+/plan/|versions\\.ts$)";
/**
 * Pulumi-free modules a plan may read besides the pure side: the TLS trust check, and the Proxmox API's address
 * and trust (proxmox/access.ts, which the rollout's restarts use; the talos plan carries it to them).
 */
const pulumiFree = ["^components/tls/", "^components/proxmox/access\\.ts$"];
/** Pulumi's SDK and the provider SDKs (the local Talos SDK is sdks/talos). */
const pulumiSdks = "^(node_modules/(@pulumi|@pulumiverse|@muhlba91)/|sdks/)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
    forbidden: [
        {
            name: "pure-imports-no-pulumi",
            severity: "error",
            comment:
                "The config and the plans run without Pulumi (verify, the policy pack, the tools' checks, their tests): " +
                "use `import type` for Pulumi's types; what needs the runtime lives in a component or components/program-config.ts.",
            from: { path: pure },
            to: { path: pulumiSdks, dependencyTypesNot: ["type-only"] },
        },
        {
            name: "pure-imports-only-pure",
            severity: "error",
            comment: "A pure module that imported a component (or anything that loads Pulumi) would load Pulumi after all.",
            from: { path: pure },
            to: {
                path: "^(components|tools|policy|test|provider)/|^index\\.ts$",
                pathNot: [pure, ...pulumiFree],
                dependencyTypesNot: ["type-only"],
            },
        },
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
        // Packages and the local Talos SDK are kept as leaves (not followed), so the purity rules see an import of them.
        doNotFollow: { path: "(^|/)node_modules/|^sdks/" },
        exclude: { path: "^(bin|policy/node_modules)/" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
    },
};
