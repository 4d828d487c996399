import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main } from "../../tools/plan";
import { escapeCell, table } from "../../tools/plan-report";
import { Graph } from "../../tools/offline/graph";
import { homeValues } from "../harness/home";
import { projectRoot } from "../../tools/offline/stack-config";

// Every address and network of the spec's three tables.
const specAddresses = [
    "172.16.1.1", "172.16.1.2", "172.16.1.3", "172.16.1.4", "172.16.1.5", "172.16.1.10", "172.16.1.11",
    "172.16.1.49", "172.16.1.50", "172.16.1.51", "172.16.1.52", "172.16.1.53", "172.16.1.60", "172.16.1.61", "172.16.1.62",
];
const specNetworks = ["172.16.1.0/24", "10.42.0.0/16", "10.43.0.0/16"];

async function plan(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, (l) => out.push(l), (l) => err.push(l));
    return { code, out: out.join("\n"), err: err.join("\n") };
}

function writeStack(values: Record<string, unknown>): string {
    return writeFile(YAML.stringify({ config: values }));
}

function writeFile(content: string | Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-plan-"));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, content);
    return file;
}

/** The cells of a Markdown table row, split only at unescaped pipes. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());

describe("npm run plan", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-plan-"));
    const out = path.join(tmp, "plan.json");
    const files = ["--out", out, "--svg", path.join(tmp, "plan.svg"), "--policy-config", path.join(tmp, "home.json")];

    it("prints an IP table holding every address of the spec's tables", async () => {
        const result = await plan(files);
        assert.equal(result.code, 0, result.err);
        const rows = result.out.split("\n").filter((l) => l.startsWith("| 1"));
        for (const address of specAddresses) assert.ok(rows.some((r) => r.startsWith(`| ${address} `)), `${address} missing`);
        for (const cidr of specNetworks) assert.ok(result.out.includes(`| ${cidr} `), `${cidr} missing`);
        assert.match(result.out, /home-vms-talos-cp-1 {2}proxmoxve:index\/vmLegacy:VmLegacy/);
    });

    it("prints the build waves, the critical path and a clean policy verdict", async () => {
        const result = await plan(files);
        assert.match(result.out, /Build waves \(serial depth \d+/);
        assert.match(result.out, /wave {2}0: .*home-talos-secrets/);
        assert.match(result.out, /Critical path: first pulumi up takes about \d+ min/);
        assert.match(result.out, /Policy verdicts \(policy pack homelab-network over \d+ registrations\): every rule passes/);
        const svg = fs.readFileSync(path.join(tmp, "plan.svg"), "utf8");
        assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
        assert.match(svg, /home&#45;vms&#45;talos&#45;cp&#45;1/);
    });

    it("writes the policy pack's config from the stack, identical to the committed policy/home.json", async () => {
        const committed = fs.readFileSync(path.join(projectRoot, "policy/home.json"), "utf8");
        assert.equal(fs.readFileSync(path.join(tmp, "home.json"), "utf8"), committed, "run `npm run plan` and commit policy/home.json");
    });

    it("prints a mandatory violation and exits 2 when a resource breaks the IP plan", async () => {
        const rogueFiles = ["--out", path.join(tmp, "rogue.json"), "--svg", path.join(tmp, "rogue.svg"), "--policy-config", path.join(tmp, "rogue-policy.json")];
        const result = await plan([...rogueFiles, "--program", path.join(projectRoot, "test/harness/fixtures/rogue-vm-program.ts")]);
        assert.equal(result.code, 2);
        assert.match(result.out, /\| vm-address-in-node-network +\| mandatory \| rogue +\| VM rogue: 192\.168\.1\.10 is outside the node network 172\.16\.1\.0\/24/);
        assert.match(result.err, /mandatory policy violation/);
    });

    it("writes the recorded graph to plan.json", async () => {
        const recorded = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.equal(recorded.stack, "home");
        assert.ok(recorded.resources.some((r: { type: string }) => r.type === "talos:machine/bootstrap:Bootstrap"));
        const leaks = new Graph({ resources: recorded.resources, invokes: [], exports: {} }).leaks("<placeholder for secret");
        assert.deepEqual(leaks, [], "placeholder secrets stay under secret paths");
        assert.ok(JSON.stringify(recorded).includes("<placeholder for secret homelab:proxmoxApiToken>"));
    });

    it("prints the config errors and exits 1 on a bad config, registering nothing", async () => {
        const values = homeValues();
        values["homelab:talos"].vip = "172.16.1.61";
        const result = await plan(["--config", writeStack(values), ...files]);
        assert.equal(result.code, 1);
        assert.match(result.err, /homelab:gateways.internal: 172.16.1.61 is already used by homelab:talos.vip/);
        assert.equal(result.out, "");
    });

    it("exits 1 as a process on a bad config", function (done) {
        this.timeout(60000);
        const values = homeValues();
        values["homelab:nodes"][0].host = "pve9";
        const tsNode = path.join(projectRoot, "node_modules/.bin/ts-node");
        execFile(tsNode, ["--transpile-only", "tools/plan.ts", "--config", writeStack(values), ...files], { cwd: projectRoot }, (error, _stdout, stderr) => {
            assert.equal(error?.code, 1);
            assert.match(stderr, /homelab:nodes\[0\]\.host: pve9 is not one of homelab:proxmox.hosts/);
            done();
        });
    });

    it("prints a warning for each server that gets a credential over plain http, and for a Proxmox nothing can verify", async () => {
        const result = await plan(files);
        assert.equal(result.code, 0, result.err);
        const warnings = result.out.split("\n").filter((l) => l.startsWith("  - homelab:"));
        assert.deepEqual(warnings.map((w) => w.split(" is plain http")[0].split(" has neither fingerprint")[0]), ["  - homelab:dnsForwarders.adguard.url", "  - homelab:dnsForwarders.technitium.url", "  - homelab:proxmox"]);
    });

    describe("with --config", () => {
        const out = path.join(tmp, "config-plan.json");
        const svg = path.join(tmp, "config-plan.svg");

        it("reads only homelab: keys: another namespace's plain and secure keys are ignored", async () => {
            const values: Record<string, unknown> = { ...homeValues(), "kubernetes:context": "home", "proxmoxve:insecure": "true", "cloudflare:apiToken": { secure: "v1:abc" } };
            const result = await plan(["--config", writeStack(values), "--out", out, "--svg", svg]);
            assert.equal(result.code, 0, result.err);
            const recorded = JSON.parse(fs.readFileSync(out, "utf8"));
            assert.equal(JSON.stringify(recorded).includes("kubernetes:context"), false);
        });

        it("writes no policy config unless asked, so the committed policy/home.json is untouched", async () => {
            const committed = path.join(projectRoot, "policy/home.json");
            const before = fs.statSync(committed).mtimeMs;
            const result = await plan(["--config", writeStack(homeValues()), "--out", out, "--svg", svg]);
            assert.equal(result.code, 0, result.err);
            assert.equal(fs.statSync(committed).mtimeMs, before);
            assert.match(result.out, /\nWrote [^\n]*config-plan\.json, [^\n]*config-plan\.svg$/);
            const asked = path.join(tmp, "asked.json");
            assert.equal((await plan(["--config", writeStack(homeValues()), "--out", out, "--svg", svg, "--policy-config", asked])).code, 0);
            assert.equal(fs.readFileSync(asked, "utf8"), fs.readFileSync(committed, "utf8"));
        });

        for (const [what, content, why] of [
            ["an empty file", "", "it is empty"],
            ["a file of blanks", "\n  \n", "it is empty"],
            ["a binary file", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]), "it is binary (it holds NUL bytes)"],
            ["a file that is not UTF-8", Buffer.from([0x63, 0x6f, 0xff, 0xfe]), "it is not UTF-8 text"],
            ["YAML without a config map", "homelab:domain: ragas.cc\n", "it has no `config:` map"],
            ["a YAML list", "- config\n", "it has no `config:` map"],
            ["a config that is a list", "config:\n  - a\n", "it has no `config:` map"],
        ] as const) {
            it(`says "not a stack file" for ${what}, and exits 1`, async () => {
                const file = writeFile(content);
                const result = await plan(["--config", file, "--out", out, "--svg", svg]);
                assert.equal(result.code, 1);
                assert.equal(result.err, `${file} is not a stack file: ${why}. A stack file is YAML with a \`config:\` map of homelab:<key> values, like Pulumi.home.yaml`);
                assert.equal(result.out, "");
            });
        }

        it("lists the first 25 problems and counts the rest, whatever their number", async () => {
            const values = homeValues();
            values["homelab:infrastructure"] = Array.from({ length: 2000 }, (_, i) => ({ name: `Bad_${i}`, ip: "172.16.1.1" }));
            const result = await plan(["--config", writeStack(values), "--out", out, "--svg", svg]);
            assert.equal(result.code, 1);
            const lines = result.err.split("\n");
            assert.match(lines[0], /^homelab config has (\d+) problems; nothing was created:$/);
            const total = Number(/has (\d+) problems/.exec(lines[0])![1]);
            assert.ok(total > 2000, String(total));
            assert.equal(lines.filter((l) => l.startsWith("  - homelab:")).length, 25);
            assert.equal(lines.at(-1), `  ... and ${total - 25} more problems: fix these and run again to see them`);
            assert.ok(result.err.length < 10000, `${result.err.length} characters`);
        });

        it("escapes a | in a description, so the table keeps its columns", async () => {
            const values = homeValues();
            values["homelab:infrastructure"][0].description = "Router | rack A\\";
            const result = await plan(["--config", writeStack(values), "--out", out, "--svg", svg]);
            assert.equal(result.code, 0, result.err);
            const row = result.out.split("\n").find((l) => l.startsWith("| 172.16.1.1 "))!;
            assert.deepEqual(cells(row), ["172.16.1.1", "router", "Router \\| rack A\\\\", "Node Network 172.16.1.0/24"]);
        });
    });
});

describe("Markdown table cells", () => {
    it("escape |, backslashes before it, and line breaks", () => {
        assert.equal(escapeCell("Rack A | shelf 2"), "Rack A \\| shelf 2");
        assert.equal(escapeCell("ends in \\"), "ends in \\\\");
        assert.equal(escapeCell("a\\|b"), "a\\\\\\|b");
        assert.equal(escapeCell("two\r\nlines\nhere"), "two lines here");
        assert.equal(escapeCell("plain"), "plain");
    });

    it("keep every row at the header's number of columns", () => {
        const text = table(["a", "b"], [["x | y", "z"], ["1\n2", "3|4"]]);
        for (const row of text.split("\n")) assert.equal(cells(row).length, 2, row);
    });
});
