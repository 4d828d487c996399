import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { secretKeys } from "../../components/config";
import { requiredSecrets } from "../../components/config/structure";
import { homeValues, runStack } from "../harness/home";
import { knownSecrets, projectRoot } from "../../components/config/stack-file";

// What the Pulumi CLI demands before the program runs, from Pulumi.yaml alone. The CLI's rule
// (sdk/go/common/workspace/config.go, mergeConfig): a key declared in the project's namespace with neither
// `default` nor `value` is required of every stack; a typed `secret: true` key whose value is not encrypted
// is refused ("must be encrypted as it's secret"), and a default is set as plain text.

interface Declaration {
    type?: string;
    secret?: boolean;
    default?: unknown;
    value?: unknown;
}

const project = YAML.parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, Declaration>;
};

/** The keys the CLI refuses to run without, as it computes them. */
function demandedByCli(): string[] {
    return Object.entries(project.config)
        .filter(([key]) => !key.includes(":") || key.startsWith(`${project.name}:`))
        .filter(([, decl]) => decl.default === undefined && decl.value === undefined)
        .map(([key]) => key.replace(`${project.name}:`, ""))
        .sort();
}

const forwarderSecrets = ["homelab:adguardPassword", "homelab:technitiumToken"];

describe("what the CLI demands of a stack (Pulumi.yaml)", () => {
    it("demands the domain and the two Proxmox secrets, and no secret a stack may not need", () => {
        assert.deepEqual(demandedByCli(), ["domain", "proxmoxApiToken", "proxmoxSshPrivateKey"]);
        // Every stack needs what the CLI demands; the rest (Cloudflare tokens, forwarders) the program asks for by key.
        const bare = requiredSecrets({});
        assert.deepEqual(
            demandedByCli().filter((k) => k !== "domain" && !bare.includes(k as (typeof bare)[number])),
            [],
        );
        assert.deepEqual(bare, ["proxmoxApiToken", "proxmoxSshPrivateKey", "cloudflareDnsToken"]);
    });

    it("gives no secret a default, which the CLI would refuse as unencrypted", () => {
        for (const [key, decl] of Object.entries(project.config)) if (decl.secret) assert.equal(decl.default, undefined, key);
    });

    it("leaves undeclared only the secrets the program reads on condition", () => {
        const declared = Object.keys(project.config).filter((k) => project.config[k].secret);
        assert.deepEqual(
            secretKeys.filter((k) => !declared.includes(k)),
            ["cloudflareApiToken", "cloudflareDnsToken", "adguardPassword", "technitiumToken"],
        );
        const values = homeValues();
        assert.deepEqual(knownSecrets(values), [
            "homelab:adguardPassword",
            "homelab:cloudflareApiToken",
            "homelab:cloudflareDnsToken",
            "homelab:proxmoxApiToken",
            "homelab:proxmoxSshPrivateKey",
            "homelab:technitiumToken",
        ]);
        delete values["homelab:dnsForwarders"];
        assert.deepEqual(knownSecrets(values), [
            "homelab:cloudflareApiToken",
            "homelab:cloudflareDnsToken",
            "homelab:proxmoxApiToken",
            "homelab:proxmoxSshPrivateKey",
        ]);
        values["homelab:cloudflare"].mintDnsToken = true;
        assert.deepEqual(
            knownSecrets(values),
            ["homelab:cloudflareApiToken", "homelab:proxmoxApiToken", "homelab:proxmoxSshPrivateKey"],
            "a minted token is not a secret of the stack",
        );
    });
});

describe("a stack without DNS forwarders", () => {
    it("runs with only the secrets the CLI demands, and forwards nothing", async () => {
        const values = homeValues();
        delete values["homelab:dnsForwarders"];
        const graph = await runStack(values, forwarderSecrets);
        assert.equal(graph.run.error, undefined);
        assert.deepEqual(
            graph.resources.filter((r) => /Forwarder$/.test(r.type)).map((r) => r.name),
            [],
        );
        assert.deepEqual(graph.run.exports.skippedDnsForwarders.value, [
            "adguard: homelab:dnsForwarders.adguard.url is not set",
            "technitium: homelab:dnsForwarders.technitium.url is not set",
        ]);
    });

    it("still needs a forwarder's secret once that forwarder is configured, naming the key", async () => {
        const values = homeValues();
        delete values["homelab:dnsForwarders"].technitium;
        const graph = await runStack(values, forwarderSecrets);
        assert.match(
            String(graph.run.error?.message),
            /homelab:adguardPassword: is a required secret and is not set\. Fix: run `pulumi config set --secret homelab:adguardPassword <value>`\./,
        );
        assert.doesNotMatch(String(graph.run.error?.message), /technitiumToken/);
        assert.deepEqual(graph.resources, []);
    });
});
