import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../components/config/stack-file";

// What runs without Pulumi loads none of it (DESIGN §2): the config, every area's plan, and verify up to the point
// where its flags and the stack are known to be right. Counted in a child process by a --require hook
// (test/harness/loaded-modules.js); the lint rule (.dependency-cruiser.cjs) holds the imports, this holds what loads.

const hook = path.join(projectRoot, "test/harness/loaded-modules.js");
const tsNode = path.join(projectRoot, "node_modules/ts-node/dist/bin.js");
/** A Pulumi SDK or provider package, or the local Talos SDK it would load. */
const pulumiPackage = /[\\/](node_modules[\\/](@pulumi|@pulumiverse|@muhlba91)[\\/]|sdks[\\/])/;

function loadedBy(args: string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
    const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loads-")), "modules.txt");
    const run = spawnSync(process.execPath, ["--require", hook, tsNode, ...args], {
        cwd: projectRoot,
        encoding: "utf8",
        env: { ...process.env, LOADED_MODULES_FILE: list },
        timeout: 60_000,
    });
    const modules = fs.readFileSync(list, "utf8").split("\n").filter(Boolean);
    fs.rmSync(path.dirname(list), { recursive: true });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
}

/** `npm run verify`'s command, as package.json has it (`ts-node --swc tools/verify.ts`), without `ts-node`. */
function verifyScript(): string[] {
    const script: string = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts.verify;
    const [runner, ...args] = script.split(" ");
    assert.equal(runner, "ts-node");
    return args;
}

/** Every module of components/config and of an area's plan/ folder. */
function pureModules(): string[] {
    const under = (dir: string): string[] =>
        fs
            .readdirSync(path.join(projectRoot, dir), { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? under(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const areas = fs
        .readdirSync(path.join(projectRoot, "components"), { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(projectRoot, "components", e.name, "plan")));
    return [...under("components/config"), ...areas.flatMap((a) => under(path.join("components", a.name, "plan")))].sort();
}

describe("what runs without Pulumi loads none of it", () => {
    it("npm run verify -- --help prints its usage and loads no @pulumi/* module", () => {
        const run = loadedBy([...verifyScript(), "--help"]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /^Usage: npm run verify -- \[options\]/);
        assert.deepEqual(
            run.modules.filter((m) => pulumiPackage.test(m)),
            [],
        );
        assert.ok(
            run.modules.some((m) => m.endsWith(path.join("tools", "verify", "options.ts"))),
            "the hook saw the command's own modules",
        );
    });

    it("verify names a missing stack file, exit 2, before it loads the checks or any Pulumi module", () => {
        const run = loadedBy([...verifyScript(), "--config", "no-such-stack.yaml"]);
        assert.equal(run.status, 2);
        assert.equal(run.stderr.trim(), "homelab verify: --config no-such-stack.yaml: no such file");
        assert.deepEqual(
            run.modules.filter(
                (m) => pulumiPackage.test(m) || m.includes(path.join("tools", "verify", "run.ts")) || m.includes("@kubernetes"),
            ),
            [],
        );
    });

    it("the config and every area's plan load no @pulumi/* module", () => {
        const modules = pureModules();
        assert.ok(
            modules.includes(path.join("components", "config", "validate.ts")) &&
                modules.includes(path.join("components", "kubernetes", "plan", "cilium.ts")),
            modules.join(", "),
        );
        const script = modules.map((m) => `require(${JSON.stringify(path.join(projectRoot, m))});`).join("");
        const run = loadedBy(["--transpile-only", "--eval", script]);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(
            run.modules.filter((m) => pulumiPackage.test(m)),
            [],
        );
        assert.ok(
            modules.every((m) => run.modules.includes(path.join(projectRoot, m))),
            "every pure module was loaded",
        );
    });
});
