import { strict as assert } from "assert";
import { formatProblem, specFromStackConfig } from "../../components/config";
import { ConfigRunError } from "../../components/program-config";
import { entryLabels, problemReport } from "../../components/config/problems";
import { closest, editDistance } from "../../components/config/suggest";
import { knownSecrets, stackConfigFromObject } from "../../components/config/stack-file";
import { canary, fixtureStackFile, homeValues, HomeValues, runStack } from "../harness/home";

// The messages a user reads when the config is wrong, each with its exact text: what is wrong, with the value,
// the key by the entry's name, "did you mean", and the file the fix is in.

/** Every problem of the home fixture after `edit`, as the report lists them, and what sat out the cross-key rules. */
function check(edit: (values: HomeValues) => void, stackFile = fixtureStackFile) {
    const values = homeValues();
    edit(values);
    const result = specFromStackConfig(stackConfigFromObject(values, canary, knownSecrets(values)).config, { stackFile });
    assert.equal(result.ok, false, "expected problems");
    return result.ok ? { lines: [], unchecked: [] } : { lines: result.problems.map(formatProblem), unchecked: result.unchecked };
}

const app = (values: HomeValues) => values["homelab:apps"][0];
const node = (values: HomeValues, name: string) => values["homelab:nodes"].find((n: { name: string }) => n.name === name);

describe("config messages", () => {
    it("report every problem at once: a bad gateway and a bad port in one app", () => {
        const { lines, unchecked } = check((v) => {
            app(v).gateway = "internet";
            app(v).service.port = 0;
        });
        assert.deepEqual(lines, [
            'homelab:apps[my-app].gateway: "internet" is not one of internal, external. Fix: use internal or external.',
            "homelab:apps[my-app].service.port: 0 is less than 1, the smallest allowed. Fix: give 1 or more.",
        ]);
        assert.deepEqual(unchecked, ["homelab:apps[my-app]"]);
    });

    it("judge the other entries of a list when one fails its shape, and say what sat out", async () => {
        const edit = (v: HomeValues) => {
            node(v, "talos-cp-2").cores = 0;
            node(v, "talos-worker-1").host = "pve9";
            node(v, "talos-worker-1").ip = "172.16.1.11";
        };
        const { lines, unchecked } = check(edit);
        assert.deepEqual(lines, [
            "homelab:nodes[talos-cp-2].cores: 0 is less than 1, the smallest allowed. Fix: give 1 or more.",
            "homelab:nodes[talos-worker-1].ip: 172.16.1.11 is already used by homelab:infrastructure[adguard].ip. Fix: give every host, node, VIP and gateway its own address.",
            "homelab:nodes[talos-worker-1].host: pve9 is not one of homelab:proxmox.hosts (pve1, pve2, pve3, pve4). Fix: place the node on a configured Proxmox host, or add the host to homelab:proxmox.hosts.",
        ]);
        assert.deepEqual(unchecked, ["homelab:nodes[talos-cp-2]"]);
        // With a node left out, the control-plane count waits: 2 of the 3 parsed is no reason to complain.
        assert.equal(
            lines.some((l) => l.includes("control planes")),
            false,
        );
        // The whole report, as `pulumi up` and `npm run plan` print it.
        const values = homeValues();
        edit(values);
        const error = (await runStack(values)).run.error as ConfigRunError;
        assert.equal(
            error.message,
            [
                "homelab config has 3 problems; nothing was created:",
                ...lines.map((l) => `  - ${l}`),
                "More checks run once these are fixed: homelab:nodes[talos-cp-2] sat out the rules that relate one key to another (addresses, names, hosts).",
            ].join("\n"),
        );
    });

    it("judge a value whose only fault is an unknown key, and suggest the key meant", () => {
        const { lines, unchecked } = check((v) => {
            const n = node(v, "talos-worker-1");
            n.memoryMB = n.memoryMiB;
            delete n.memoryMiB;
            n.ip = "172.16.2.53";
        });
        assert.deepEqual(lines, [
            "homelab:nodes[talos-worker-1].memoryMB: is not a known key; did you mean memoryMiB? Fix: rename it to memoryMiB.",
            "homelab:nodes[talos-worker-1].ip: 172.16.2.53 is outside homelab:network.nodeCidr 172.16.1.0/24. Fix: use an address inside 172.16.1.0/24.",
        ]);
        assert.deepEqual(unchecked, []);
    });

    it("list the keys an object takes when nothing is close", () => {
        assert.deepEqual(check((v) => (v["homelab:gateways"].ingress = "172.16.1.63")).lines, [
            "homelab:gateways.ingress: is not a known key. Fix: remove it: homelab:gateways takes dns, internal, external.",
        ]);
    });

    it("name the ignored keys of a misspelt namespace once, instead of calling each homelab: key unset", () => {
        const { lines } = check((v) => {
            for (const key of ["homelab:domain", "homelab:gateways", "homelab:proxmoxApiToken"]) {
                v[key.replace("homelab:", "homlab:")] = v[key] ?? { secure: "v1:x" };
                delete v[key];
            }
            v["kubernetes:context"] = "home";
        });
        assert.deepEqual(lines, [
            `homlab:*: is not the program's namespace, so these 3 keys are ignored: homlab:domain, homlab:gateways, homlab:proxmoxApiToken. Fix: did you mean homelab:? Rename each to homelab:<key> in ${fixtureStackFile}.`,
        ]);
    });

    it("say what a value with host bits meant", () => {
        assert.deepEqual(check((v) => (v["homelab:network"].podCidr = "10.42.7.1/16")).lines, [
            "homelab:network.podCidr: 10.42.7.1/16 has host bits set; did you mean 10.42.0.0/16? Fix: write the network's own address: 10.42.0.0/16.",
        ]);
    });

    it("name the file the fix is in", () => {
        assert.deepEqual(check((v) => delete v["homelab:gateways"], "stacks/lab.yaml").lines, [
            "homelab:gateways: is not set. Fix: set it in stacks/lab.yaml (the README's configuration table shows its shape).",
        ]);
    });

    it("replace zod's wording: types, sizes, empty text, URLs and e-mail", () => {
        const { lines } = check((v) => {
            node(v, "talos-cp-1").cores = "4";
            node(v, "talos-cp-2").diskGiB = 4;
            v["homelab:network"].nameservers = [];
            v["homelab:talos"].clusterName = "";
            v["homelab:proxmox"].endpoint = "http://172.16.1.2:8006";
            v["homelab:certificates"].acmeEmail = "admin";
            delete node(v, "talos-cp-3").vmId;
        });
        assert.deepEqual(lines, [
            "homelab:network.nameservers: has no entries; at least 1 is needed. Fix: add one.",
            'homelab:proxmox.endpoint: "http://172.16.1.2:8006" is not an https URL. Fix: give a full URL such as https://172.16.1.2:8006.',
            "homelab:talos.clusterName: is empty. Fix: give a value, or leave the key out where it is optional.",
            'homelab:nodes[talos-cp-1].cores: is the text "4", not a number. Fix: write 4 without quotes.',
            "homelab:nodes[talos-cp-2].diskGiB: 4 is less than 10, the smallest allowed. Fix: give 10 or more.",
            "homelab:nodes[talos-cp-3].vmId: is missing. Fix: add it: a number (the README's configuration table shows each key).",
            'homelab:certificates.acmeEmail: "admin" is not an email address. Fix: give an address such as admin@ragas.cc.',
        ]);
    });
});

describe("entry names and suggestions", () => {
    it("name an entry by its name only when that name is its alone", () => {
        assert.deepEqual(entryLabels([{ name: "a" }, { name: "b" }, { name: "a" }, {}, { name: "x y" }, { name: 7 }, "z"]), [
            "0",
            "b",
            "2",
            "3",
            "4",
            "5",
            "6",
        ]);
    });

    it("count edits, swaps as one, case ignored", () => {
        assert.equal(editDistance("memoryMB", "memoryMiB"), 1);
        assert.equal(editDistance("homlab", "homelab"), 1);
        assert.equal(editDistance("nodse", "nodes"), 1);
        assert.equal(editDistance("Domain", "domain"), 0);
        assert.equal(editDistance("", "abc"), 3);
    });

    it("suggest a near key, a key without its unit, and nothing far", () => {
        const nodeKeys = ["name", "role", "ip", "host", "vmId", "cores", "memoryMiB", "diskGiB", "mac"];
        assert.equal(closest("memoryMB", nodeKeys), "memoryMiB");
        assert.equal(closest("memory", nodeKeys), "memoryMiB");
        assert.equal(closest("disk", nodeKeys), "diskGiB");
        assert.equal(closest("vmid", nodeKeys), "vmId");
        assert.equal(closest("cpus", nodeKeys), undefined);
        assert.equal(closest("storage", nodeKeys), undefined);
    });

    it("print at most 25 problems and name at most five values that sat out", () => {
        const problems = Array.from({ length: 27 }, (_, i) => ({ key: `homelab:k${i}`, message: "is wrong", fix: "fix it" }));
        const report = problemReport(problems, ["a", "b", "c", "d", "e", "f", "g"]).split("\n");
        assert.equal(report.length, 1 + 25 + 2);
        assert.equal(report[26], "  ... and 2 more problems: fix these and run again to see them");
        assert.equal(
            report[27],
            "More checks run once these are fixed: a, b, c, d, e and 2 more sat out the rules that relate one key to another (addresses, names, hosts).",
        );
    });
});
