import { strict as assert } from "assert";
import { pendingChanges, ProxmoxAccess } from "../../components/proxmox/power-cycle";
import { fingerprint, RecordingServer, trustTrial } from "../harness/impostors";

// The rollout's Proxmox client sends `Authorization: PVEAPIToken=...` only to a server that proved it is the
// configured Proxmox, before the request is written. Impostors on 127.0.0.1: a self-signed certificate for the
// right address, and a valid certificate from the trusted CA for another host. Each must see no request at all.

const token = "pulumi@pve!homelab=CANARY-proxmox-token";
const vm = { name: "talos-cp-2", host: "pve2", vmId: 151 };
const pending = JSON.stringify({ data: [{ key: "memory", value: 8192, pending: 16384 }] });

describe("Proxmox API trust: the token goes only to the pinned or certified host", function () {
    this.timeout(20000);
    const trial = trustTrial(() => ({ status: 200, body: pending }));
    const certs = trial.certs;

    const access = (server: RecordingServer, trust: Partial<ProxmoxAccess>): ProxmoxAccess => ({
        endpoint: server.url,
        apiToken: token,
        ...trust,
    });
    const ask = (server: RecordingServer, trust: Partial<ProxmoxAccess>) => pendingChanges(access(server, trust), vm, 5000);
    const where = (server: RecordingServer) => server.url.replace("https://", "");
    const call = "talos-cp-2 (pve2/151): GET /nodes/pve2/qemu/151/pending";

    it("by default (no pin, no CA) trusts only the public CAs: both impostors are refused, as is the right host's private CA", async () => {
        await assert.rejects(ask(trial.selfSigned, {}), {
            message: `${call}: ${where(trial.selfSigned)} is not the trusted server: self-signed certificate`,
        });
        await assert.rejects(ask(trial.otherHost, {}), {
            message: `${call}: ${where(trial.otherHost)} is not the trusted server: unable to verify the first certificate`,
        });
        await assert.rejects(ask(trial.right, {}), /unable to verify the first certificate/);
        assert.deepEqual(trial.right.requests, []);
    });

    it("with the right fingerprint pinned, talks to the right host and refuses both impostors after the handshake, before any request", async () => {
        const pin = { fingerprint: fingerprint(certs.right) };
        assert.deepEqual(await ask(trial.right, pin), ["memory"]);
        assert.deepEqual(trial.right.requests, [`GET /api2/json/nodes/pve2/qemu/151/pending [PVEAPIToken=${token}]`]);
        await assert.rejects(ask(trial.selfSigned, pin), {
            message: `${call}: ${where(trial.selfSigned)} is not the trusted server: its certificate (IP Address:127.0.0.1, DNS:pve1) has SHA-256 fingerprint ${fingerprint(certs.selfSigned)}, not the pinned ${pin.fingerprint}`,
        });
        await assert.rejects(ask(trial.otherHost, pin), {
            message: `${call}: ${where(trial.otherHost)} is not the trusted server: its certificate (DNS:pve9.home.arpa, IP Address:10.0.0.9) has SHA-256 fingerprint ${fingerprint(certs.otherHost)}, not the pinned ${pin.fingerprint}`,
        });
    });

    it("accepts the pin in any case, as Proxmox prints it or in lower case", async () => {
        assert.deepEqual(await ask(trial.right, { fingerprint: fingerprint(certs.right).toLowerCase() }), ["memory"]);
    });

    it("with the cluster CA, checks the chain and the address: a valid certificate for another host is refused", async () => {
        const ca = { caCertificate: certs.ca.certPem };
        assert.deepEqual(await ask(trial.right, ca), ["memory"]);
        await assert.rejects(ask(trial.selfSigned, ca), {
            message: `${call}: ${where(trial.selfSigned)} is not the trusted server: self-signed certificate`,
        });
        await assert.rejects(ask(trial.otherHost, ca), {
            message: `${call}: ${where(trial.otherHost)} is not the trusted server: Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: 10.0.0.9`,
        });
    });

    it("with a CA and a pin, both must hold: the right host under a wrong pin gets nothing", async () => {
        trial.right.requests.length = 0;
        await assert.rejects(
            ask(trial.right, { caCertificate: certs.ca.certPem, fingerprint: fingerprint(certs.otherHost) }),
            /has SHA-256 fingerprint .* not the pinned/,
        );
        assert.deepEqual(trial.right.requests, []);
    });
});
