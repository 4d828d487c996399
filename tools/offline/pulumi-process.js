// One evaluation of the program as a whole process, the way `pulumi up` runs it: TypeScript registered
// with ts-node as @pulumi/pulumi's cmd/run does (the tsconfig Pulumi.yaml names, transpile-only from its
// noCheck, source maps on), Pulumi's per-promise stack traces left on, then the recording mock engine in
// place of the CLI's. Plain JavaScript, so nothing is transpiled that a real run would not transpile but
// the offline engine itself. Prints one JSON line: resource count, the process's CPU time, and the error
// if the run failed.
// Usage: node tools/offline/pulumi-process.js <config.json> (StackConfig and secret keys, see bench.ts).
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const root = path.resolve(__dirname, "../..");
process.chdir(root);
const runtime = YAML.parse(fs.readFileSync("Pulumi.yaml", "utf8")).runtime;
const tsconfig = (runtime.options && runtime.options.tsconfig) || "tsconfig.json";
const ts = require("typescript");
// As cmd/run/run.js: the named file's own compilerOptions (not what it extends) over Pulumi's defaults.
const own = ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, "utf8")).config.compilerOptions || {};
require("ts-node").register({
    compiler: "typescript",
    transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ? process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true" : own.noCheck,
    project: tsconfig,
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...own },
});

const { config, secretKeys } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
require("./engine")
    .evaluate(config, secretKeys, { keepStackTraces: true })
    .then((run) => {
        const cpu = process.cpuUsage();
        process.stdout.write(
            JSON.stringify({
                resources: run.resources.length,
                cpuMs: (cpu.user + cpu.system) / 1000,
                error: run.error ? run.error.message : undefined,
            }) + "\n",
        );
        process.exit(run.error ? 1 : 0);
    });
