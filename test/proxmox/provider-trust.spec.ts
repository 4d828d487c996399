import { strict as assert } from "assert";
import { canary, homeValues, runStack } from "../harness/home";
import { fingerprint, serverCerts } from "../harness/impostors";

// What trust each Proxmox client of the home stack gets: the provider only `insecure` (false unless the stack says
// so, beside a pin), the rollout's own client the pin and the CA, beside its secret token.

describe("Proxmox trust in the graph", () => {
    const certs = serverCerts();
    const rolloutAccess = (graph: Awaited<ReturnType<typeof runStack>>) =>
        (graph.get("homelab:talos:TalosRollout", "home-talos-rollout").inputs.proxmox as { access: Record<string, unknown> }).access;

    it("by default the provider verifies (insecure false) and the rollout has no pin", async () => {
        const graph = await runStack();
        assert.equal(graph.run.error, undefined);
        const provider = graph.ofType("pulumi:providers:proxmoxve")[0];
        assert.equal(provider.inputs.insecure, "false", "provider config goes to the plugin as text");
        assert.deepEqual(rolloutAccess(graph), { endpoint: "https://172.16.1.2:8006", apiToken: canary("homelab:proxmoxApiToken") });
    });

    it("with a pin and insecure, the provider skips verification and the rollout's client gets the pin and CA", async () => {
        const values = homeValues();
        Object.assign(values["homelab:proxmox"], {
            insecure: true,
            fingerprint: fingerprint(certs.right),
            caCertificate: certs.ca.certPem,
        });
        const graph = await runStack(values);
        assert.equal(graph.run.error, undefined, String(graph.run.error));
        assert.equal(graph.ofType("pulumi:providers:proxmoxve")[0].inputs.insecure, "true");
        assert.deepEqual(rolloutAccess(graph), {
            endpoint: "https://172.16.1.2:8006",
            caCertificate: certs.ca.certPem,
            fingerprint: fingerprint(certs.right),
            apiToken: canary("homelab:proxmoxApiToken"),
        });
        assert.deepEqual(graph.leaks("CANARY"), []);
    });
});
