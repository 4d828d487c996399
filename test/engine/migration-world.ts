// The fakes and the stack config of the migration program (programs/migration): a control plane and a worker behind
// the fake apids, the fake kube-apiserver of the gates, AdGuard and Technitium. Shared by the migration test and by
// make-dynamic-era-fixture.ts, which made the fixture with the code before issue 23; the placeholders below stand
// for what differs from run to run (ports, the stack's name), so the fixture is replayed on this run's fakes.
import { referenceFile } from "../harness/reference";
import { AdguardFake, startAdguardFake, startTechnitiumFake, TechnitiumFake } from "../dns/fake-servers";
import { startStack, TestStack, installerFor } from "../talos/fakes/stack";
import type { EngineStack } from "./cli";
import { engineTiming } from "./talos-fakes";
import { FakeApiServer, startFakeApiServer } from "./fake-apiserver";

export const migrationPassword = "migration-adguard-password-4e1b";
export const migrationToken = "migration-technitium-token-93c2d7";
export const othersUpstreams = ["tls://1.1.1.1"];

export interface MigrationWorld {
    talos: TestStack;
    api: FakeApiServer;
    adguard: AdguardFake;
    technitium: TechnitiumFake;
}

export async function startWorld(context: Mocha.Context): Promise<MigrationWorld> {
    const talos = await startStack({ controlPlanes: 1, workers: 1 });
    const api = await startFakeApiServer(talos.pki);
    api.nodes = [{ "talos-cp-1": true, "talos-worker-1": true }];
    const adguard = await startAdguardFake(referenceFile("adguard-home/v0.107.79/openapi.yaml", context), "admin", migrationPassword);
    adguard.upstreams = [...othersUpstreams];
    const technitium = await startTechnitiumFake(referenceFile("technitium-dns/v15.2.0/APIDOCS.md", context), migrationToken);
    return { talos, api, adguard, technitium };
}

export async function stopWorld(world: MigrationWorld | undefined): Promise<void> {
    if (!world) return;
    await Promise.all([world.api.close(), world.adguard.close(), world.technitium.close(), world.talos.close()]);
    world.talos.cluster.stop();
}

/** The program's config: every fake's address, the fakes' PKI, the DNS credentials. */
export async function configureWorld(engine: EngineStack, world: MigrationWorld, talosVersion = "v1.13.9"): Promise<void> {
    const nodes = ["talos-cp-1", "talos-worker-1"].map((name) => ({
        name,
        role: world.talos.cluster.node(name).role,
        endpoint: world.talos.talos.endpoints[name],
    }));
    const { caCertificate, clientCertificate, clientKey } = world.talos.pki.clientConfiguration;
    await engine.setConfig({
        nodes,
        talosVersion,
        installerImage: installerFor(talosVersion),
        timing: engineTiming,
        target: "172.16.1.60",
        access: { host: world.api.host, caCertificate, clientCertificate },
        dns: { adguard: world.adguard.url, technitium: world.technitium.url },
    });
    await engine.setConfig(
        { talos: world.talos.pki.clientConfiguration, clientKey, adguardPassword: migrationPassword, technitiumToken: migrationToken },
        { secret: true },
    );
}

/** What of a run's text names this run's fakes and stack, and the placeholder a fixture holds in its place. */
export function placeholders(world: MigrationWorld, stack: string): [string, string][] {
    const port = (url: string) => new URL(url.includes("://") ? url : `tcp://${url}`).port;
    return [
        [`127.0.0.1:${port(world.talos.talos.endpoints["talos-cp-1"])}`, "127.0.0.1:{{apid-cp-1}}"],
        [`127.0.0.1:${port(world.talos.talos.endpoints["talos-worker-1"])}`, "127.0.0.1:{{apid-worker-1}}"],
        [`127.0.0.1:${port(world.api.host)}`, "127.0.0.1:{{kube-apiserver}}"],
        [`127.0.0.1:${port(world.adguard.url)}`, "127.0.0.1:{{adguard}}"],
        [`127.0.0.1:${port(world.technitium.url)}`, "127.0.0.1:{{technitium}}"],
        [stack, "{{stack}}"],
    ];
}

export const replaceAll = (text: string, pairs: [string, string][]) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);
