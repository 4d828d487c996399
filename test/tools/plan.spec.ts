import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { main } from "../../tools/plan";
import { Graph } from "../../tools/offline/graph";
import { homeFixture, homeSpec, homeValues } from "../harness/home";
import { projectRoot } from "../../components/config/stack-file";
import { policyConfigFile } from "../../policy/policies";

// Every address and network of the spec's three tables.
const specAddresses = [
    "172.16.1.1",
    "172.16.1.2",
    "172.16.1.3",
    "172.16.1.4",
    "172.16.1.5",
    "172.16.1.10",
    "172.16.1.11",
    "172.16.1.49",
    "172.16.1.50",
    "172.16.1.51",
    "172.16.1.52",
    "172.16.1.53",
    "172.16.1.60",
    "172.16.1.61",
    "172.16.1.62",
];
const specNetworks = ["172.16.1.0/24", "10.42.0.0/16", "10.43.0.0/16"];

async function plan(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
        args,
        (l) => out.push(l),
        (l) => err.push(l),
    );
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
const cells = (row: string) =>
    row
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());

describe("npm run plan", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-plan-"));
    const out = path.join(tmp, "plan.json");
    // The home fixture (the spec's home network), never the user's stack file; outputs into a temporary folder.
    const files = ["--config", homeFixture, "--out-dir", tmp];

    it("prints an IP table holding every address of the spec's tables", async () => {
        const result = await plan(files);
        assert.equal(result.code, 0, result.err);
        const rows = result.out.split("\n").filter((l) => l.startsWith("| 1"));
        for (const address of specAddresses)
            assert.ok(
                rows.some((r) => r.startsWith(`| ${address} `)),
                `${address} missing`,
            );
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

    it("writes the policy pack's config from the stack, for --policy-pack-config", async () => {
        const written = JSON.parse(fs.readFileSync(path.join(tmp, "policy-config.json"), "utf8"));
        assert.deepEqual(written, policyConfigFile(homeSpec()));
        assert.deepEqual(written["talos-network-kept"], { podCidr: "10.42.0.0/16", serviceCidr: "10.43.0.0/16" });
    });

    it("prints a mandatory violation and exits 2 when a resource breaks the IP plan", async () => {
        const rogueFiles = ["--config", homeFixture, "--out-dir", path.join(tmp, "rogue")];
        const result = await plan([...rogueFiles, "--program", path.join(projectRoot, "test/harness/fixtures/rogue-vm-program.ts")]);
        assert.equal(result.code, 2);
        assert.match(
            result.out,
            /\| vm-address-in-node-network +\| mandatory \| rogue +\| VM rogue: 192\.168\.1\.10 is outside the node network 172\.16\.1\.0\/24/,
        );
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
        const result = await plan(["--config", writeStack(values), "--out-dir", tmp]);
        assert.equal(result.code, 1);
        assert.match(result.err, /homelab:gateways.internal: 172.16.1.61 is already used by homelab:talos.vip/);
        assert.equal(result.out, "");
    });

    it("exits 1 as a process on a bad config", function (done) {
        this.timeout(60000);
        const values = homeValues();
        values["homelab:nodes"][0].host = "pve9";
        const tsNode = path.join(projectRoot, "node_modules/.bin/ts-node");
        execFile(
            tsNode,
            ["--transpile-only", "tools/plan.ts", "--config", writeStack(values), "--out-dir", tmp],
            { cwd: projectRoot },
            (error, _stdout, stderr) => {
                assert.equal(error?.code, 1);
                assert.match(stderr, /homelab:nodes\[talos-cp-1\]\.host: pve9 is not one of homelab:proxmox.hosts/);
                done();
            },
        );
    });

    it("prints a warning for each server that gets a credential over plain http, and for a Proxmox nothing can verify", async () => {
        const result = await plan(files);
        assert.equal(result.code, 0, result.err);
        const warnings = result.out.split("\n").filter((l) => l.startsWith("  - homelab:"));
        assert.deepEqual(
            warnings.map((w) => w.split(" is plain http")[0].split(" has neither fingerprint")[0]),
            ["  - homelab:dnsForwarders.adguard.url", "  - homelab:dnsForwarders.technitium.url", "  - homelab:proxmox"],
        );
    });

    describe("with --config", () => {
        const out = path.join(tmp, "plan.json");
        const configDir = path.join(tmp, "config");

        it("reads only homelab: keys: another namespace's plain and secure keys are ignored", async () => {
            const values: Record<string, unknown> = {
                ...homeValues(),
                "kubernetes:context": "home",
                "proxmoxve:insecure": "true",
                "cloudflare:apiToken": { secure: "v1:abc" },
            };
            const result = await plan(["--config", writeStack(values), "--out-dir", tmp]);
            assert.equal(result.code, 0, result.err);
            const recorded = JSON.parse(fs.readFileSync(out, "utf8"));
            assert.equal(JSON.stringify(recorded).includes("kubernetes:context"), false);
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
                const result = await plan(["--config", file, "--out-dir", configDir]);
                assert.equal(result.code, 1);
                assert.equal(
                    result.err,
                    `homelab plan: ${file} is not a stack file: ${why}. A stack file is YAML with a \`config:\` map of homelab:<key> values, like Pulumi.example.yaml`,
                );
                assert.equal(result.out, "");
            });
        }

        it("lists the first 25 problems and counts the rest, whatever their number", async () => {
            const values = homeValues();
            values["homelab:infrastructure"] = Array.from({ length: 2000 }, (_, i) => ({ name: `Bad_${i}`, ip: "172.16.1.1" }));
            const result = await plan(["--config", writeStack(values), "--out-dir", configDir]);
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
            const result = await plan(["--config", writeStack(values), "--out-dir", configDir]);
            assert.equal(result.code, 0, result.err);
            const row = result.out.split("\n").find((l) => l.startsWith("| 172.16.1.1 "))!;
            assert.deepEqual(cells(row), ["172.16.1.1", "router", "Router \\| rack A\\\\", "Node Network 172.16.1.0/24"]);
        });
    });
});

/** Every file under the project but node_modules, .git and out/, with its modification time and size. */
function projectFiles(dir = projectRoot, found = new Map<string, string>()): Map<string, string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (dir === projectRoot && ["node_modules", ".git", "out", "bin"].includes(entry.name)) continue;
        if (entry.name === "node_modules") continue;
        if (entry.isDirectory()) projectFiles(file, found);
        else if (entry.isFile()) {
            const stat = fs.statSync(file);
            found.set(path.relative(projectRoot, file), `${stat.mtimeMs} ${stat.size}`);
        }
    }
    return found;
}

describe("npm run plan on the user's own stack", function () {
    this.timeout(60000);

    it("plans an edited home stack (domain, LB range, a worker more, no forwarders), writing only into out/<stack>/", async () => {
        const values = homeValues();
        values["homelab:domain"] = "home.example.org";
        values["homelab:network"].loadBalancerRange = { start: "172.16.1.100", stop: "172.16.1.119" };
        values["homelab:gateways"] = { dns: "172.16.1.100", internal: "172.16.1.101", external: "172.16.1.102" };
        values["homelab:nodes"].push({ name: "talos-worker-2", role: "worker", ip: "172.16.1.54", host: "pve4", vmId: 154 });
        delete values["homelab:dnsForwarders"];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-mine-"));
        const stack = `mine-${process.pid}`;
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, YAML.stringify({ config: values }));
        const before = projectFiles();
        try {
            const result = await plan(["--config", file]);
            assert.equal(result.code, 0, result.err);
            assert.match(result.out, /\| 172\.16\.1\.54 +\| talos-worker-2 +\|/);
            assert.match(result.out, /\| 172\.16\.1\.100-172\.16\.1\.119 \| Cilium LB-IPAM pool/);
            assert.match(
                result.out,
                /Split DNS: no forwarder configured \(homelab:dnsForwarders\): have your resolver forward home\.example\.org to k8s_gateway at 172\.16\.1\.100/,
            );
            assert.match(result.out, /every rule passes/);
            assert.deepEqual(fs.readdirSync(path.join(projectRoot, "out", stack)).sort(), ["plan.json", "plan.svg", "policy-config.json"]);
            assert.deepEqual(projectFiles(), before, "a file outside out/ was written");
        } finally {
            fs.rmSync(path.join(projectRoot, "out", stack), { recursive: true, force: true });
        }
    });

    it("plans Pulumi.example.yaml (another network) with no warning and every policy passing", async () => {
        const result = await plan([
            "--config",
            path.join(projectRoot, "Pulumi.example.yaml"),
            "--out-dir",
            fs.mkdtempSync(path.join(os.tmpdir(), "homelab-example-")),
        ]);
        assert.equal(result.code, 0, result.err);
        assert.equal(result.err, "");
        assert.equal(result.out.includes("Warnings"), false, result.out.split("\n").slice(0, 8).join("\n"));
        assert.match(result.out, /\| 192\.168\.50\.31 +\| lab-cp-1 +\| Control plane on pve \(VM 300\)/);
        assert.match(result.out, /Policy verdicts \(policy pack homelab-network over \d+ registrations\): every rule passes/);
        // No tunnel: no edge, no cloudflared; cert-manager's DNS-01 token is all of Cloudflare left.
        assert.equal(/home-edge|cloudflared/.test(result.out), false);
    });

    it("warns about an https forwarder at an address with nothing to verify it by", async () => {
        const values = homeValues();
        values["homelab:dnsForwarders"] = { technitium: { url: "https://172.16.1.10:53443" } };
        const result = await plan(["--config", writeStack(values), "--out-dir", fs.mkdtempSync(path.join(os.tmpdir(), "homelab-https-"))]);
        assert.equal(result.code, 0, result.err);
        assert.ok(
            result.out.includes(
                "  - homelab:dnsForwarders.technitium has neither fingerprint nor caCertificate, and no public CA certifies 172.16.1.10: every call to it will refuse its certificate (nothing is sent). " +
                    "Set homelab:dnsForwarders.technitium.fingerprint to its certificate's SHA-256 fingerprint (README: Trust and tokens), or .caCertificate to the CA that issued it.",
            ),
        );
    });
});

describe("npm run plan: the command line", () => {
    it("prints its usage for --help and -h, exit 0", async () => {
        for (const flag of ["--help", "-h"]) {
            const result = await plan([flag, "--bogus"]);
            assert.equal(result.code, 0);
            assert.match(result.out, /^Usage: npm run plan -- \[options\]\n/);
            assert.match(result.out, /\n {2}--config FILE +Read this stack file instead/);
            assert.match(result.out, /\n {2}-h, --help +Print this help and exit\./);
        }
    });

    it("lists every mistake at once, exit 2", async () => {
        const result = await plan(["--stak", "home", "--out", "x", "--json=1", "stray", "--config"]);
        assert.equal(result.code, 2);
        assert.equal(result.out, "");
        assert.deepEqual(result.err.split("\n"), [
            "homelab plan: unknown option --stak; did you mean --stack?",
            "homelab plan: unknown option --out; did you mean --out-dir?",
            "homelab plan: unknown option --json",
            'homelab plan: unexpected argument "stray": every option is a --flag',
            "homelab plan: --config needs a value: --config FILE",
            "Run `npm run plan -- --help` for the options.",
        ]);
    });

    it("takes --flag=value as --flag value, and refuses --stack with --config", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-eq-"));
        assert.equal((await plan([`--config=${homeFixture}`, `--out-dir=${dir}`])).code, 0);
        assert.deepEqual(fs.readdirSync(dir).sort(), ["plan.json", "plan.svg", "policy-config.json"]);
        const both = await plan(["--stack", "home", "--config", homeFixture]);
        assert.equal(both.code, 2);
        assert.equal(both.err.split("\n")[0], "homelab plan: give --stack or --config, not both");
    });

    it("says in one line that a --config file or a stack's file is missing", async () => {
        const missing = await plan(["--config", "missing.yaml"]);
        assert.equal(missing.code, 1);
        assert.equal(missing.err, "homelab plan: --config missing.yaml: no such file");
        const stack = await plan(["--stack", "nosuchstack"]);
        assert.equal(stack.code, 1);
        assert.equal(
            stack.err,
            "homelab plan: no stack file Pulumi.nosuchstack.yaml for stack nosuchstack: make one (cp Pulumi.example.yaml Pulumi.nosuchstack.yaml, then edit it), or name an existing stack",
        );
    });

    it("recognises the project file", async () => {
        const result = await plan(["--config", path.join(projectRoot, "Pulumi.yaml")]);
        assert.equal(result.code, 1);
        assert.equal(
            result.err,
            `homelab plan: ${path.join(projectRoot, "Pulumi.yaml")} is the project file (Pulumi.yaml: name, runtime and the declared keys), not a stack file: give a stack's file, Pulumi.<stack>.yaml, e.g. Pulumi.example.yaml`,
        );
    });

    it("names the --config file in the fix of a missing key", async () => {
        const values = homeValues();
        delete values["homelab:gateways"];
        const file = writeStack(values);
        const result = await plan(["--config", file]);
        assert.equal(result.code, 1);
        assert.equal(
            result.err,
            `homelab config has 1 problem; nothing was created:\n  - homelab:gateways: is not set. Fix: set it in ${file} (the README's configuration table shows its shape).`,
        );
    });
});
