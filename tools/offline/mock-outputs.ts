import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import type { TokenTermInputs } from "../../components/cloudflare/token-term";
import { customResourceTypes } from "../../components/custom-resources";
import { tokenTerm } from "../../provider/token-term";

// What the fake providers answer: deterministic ids and the outputs each resource kind and invoke
// returns for real, so outputs that feed other inputs resolve to something that looks like them.
// Values a real provider generates as secrets carry the word CANARY, so a leak is caught by the
// same check as a leaked config secret.

/* eslint-disable @typescript-eslint/no-explicit-any */
type State = Record<string, any>;

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

const resourceOutputs: Record<string, (inputs: State, name: string) => State> = {
    "talos:machine/secrets:Secrets": () => ({
        machineSecrets: {
            cluster: { id: "mock-cluster-id", secret: "CANARY-talos-cluster-secret" },
            secrets: { bootstrapToken: "CANARY-bootstrap-token" },
            certs: {},
            trustdinfo: { token: "CANARY-trustd" },
        },
        clientConfiguration: { caCertificate: "mock-talos-ca", clientCertificate: "mock-talos-crt", clientKey: "CANARY-talos-client-key" },
    }),
    "talos:imageFactory/schematic:Schematic": (inputs) => ({ id: digest(String(inputs.schematic)) }),
    "talos:cluster/kubeconfig:Kubeconfig": (inputs) => ({
        kubeconfigRaw: `apiVersion: v1\nkind: Config\nclusters:\n- name: home\n  cluster:\n    server: https://${inputs.node}:6443\nusers:\n- name: admin\n  user:\n    client-key-data: CANARY-kube-client-key\n`,
        kubernetesClientConfiguration: {
            host: "https://mock:6443",
            caCertificate: "mock-ca",
            clientCertificate: "mock-crt",
            clientKey: "CANARY-kube-client-key",
        },
    }),
    // A first apply meets maintenance mode, whose dry run answers "no reboot": the provider resolves "auto".
    "talos:machine/configurationApply:ConfigurationApply": (inputs) => ({
        machineConfiguration: inputs.machineConfigurationInput,
        resolvedApplyMode: inputs.applyMode === "staged_if_needing_reboot" ? "auto" : inputs.applyMode,
    }),
    "proxmoxve:download/file:File": () => ({ size: 1 }),
    "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared": () => ({ accountTag: "mock-account" }),
    "cloudflare:index/apiToken:ApiToken": () => ({ value: "CANARY-scoped-cloudflare-token" }),
    // Issued at a fixed instant, so two evaluations give the same graph.
    [customResourceTypes.TokenTerm]: (inputs) => tokenTerm(inputs as TokenTermInputs, Date.parse("2026-01-01T00:00:00Z")),
};

/** Ids shaped as the real provider shapes them where another input consumes them. */
const resourceIds: Record<string, (inputs: State, name: string) => string> = {
    "proxmoxve:download/file:File": (inputs) => `${inputs.datastoreId}:${inputs.contentType}/${inputs.fileName}`,
    "proxmoxve:index/vmLegacy:VmLegacy": (inputs) => `${inputs.vmId}`,
    "talos:imageFactory/schematic:Schematic": (inputs) => digest(String(inputs.schematic)),
    "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared": (_i, name) =>
        digest(name).slice(0, 8) + "-0000-4000-8000-" + digest(name).slice(8, 20),
};

export function mockResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
    const id = resourceIds[args.type]?.(args.inputs, args.name) ?? `${args.name}-id`;
    return { id, state: { ...args.inputs, ...(resourceOutputs[args.type]?.(args.inputs, args.name) ?? {}) } };
}

const invokes: Record<string, (args: State) => State> = {
    "talos:machine/getConfiguration:getConfiguration": (a) => ({
        ...a,
        // The generated config follows everything it is generated from: contract, Kubernetes version, patches.
        machineConfiguration: `version: v1alpha1\n# contract ${a.talosVersion}, kubernetes ${a.kubernetesVersion}, patches ${digest(JSON.stringify(a.configPatches ?? [])).slice(0, 16)}\nmachine:\n  type: ${a.machineType}\n  token: CANARY-machine-token\ncluster:\n  clusterName: ${a.clusterName}\n  controlPlane:\n    endpoint: ${a.clusterEndpoint}\n`,
    }),
    "talos:client/getConfiguration:getConfiguration": (a) => ({
        ...a,
        talosConfig: `context: ${a.clusterName}\ncontexts:\n  ${a.clusterName}:\n    endpoints: ${JSON.stringify(a.endpoints)}\n    key: CANARY-talosconfig-key\n`,
    }),
    "talos:imageFactory/getUrls:getUrls": (a) => {
        const base = `factory.talos.dev`;
        return {
            ...a,
            urls: {
                diskImage: `https://${base}/image/${a.schematicId}/${a.talosVersion}/${a.platform}-${a.architecture}.raw.xz`,
                diskImageSecureboot: `https://${base}/image/${a.schematicId}/${a.talosVersion}/${a.platform}-${a.architecture}-secureboot.raw.xz`,
                installer: `${base}/${a.platform}-installer/${a.schematicId}:${a.talosVersion}`,
                installerSecureboot: `${base}/${a.platform}-installer-secureboot/${a.schematicId}:${a.talosVersion}`,
                iso: `https://${base}/image/${a.schematicId}/${a.talosVersion}/${a.platform}-${a.architecture}.iso`,
                isoSecureboot: `https://${base}/image/${a.schematicId}/${a.talosVersion}/${a.platform}-${a.architecture}-secureboot.iso`,
                uki: `https://${base}/image/${a.schematicId}/${a.talosVersion}/${a.platform}-${a.architecture}-uki.efi`,
            },
        };
    },
    "talos:cluster/getHealth:getHealth": (a) => ({ ...a, id: "healthy" }),
    "cloudflare:index/getZone:getZone": (a) => ({
        id: digest(a.filter?.name ?? "").slice(0, 32),
        zoneId: digest(a.filter?.name ?? "").slice(0, 32),
        name: a.filter?.name,
        account: { id: digest("account").slice(0, 32), name: "mock" },
    }),
    "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList": (a) => ({
        ...a,
        results: ["DNS Read", "DNS Write", "Zone Read"].map((name) => ({
            id: digest(name).slice(0, 32),
            name,
            scopes: [a.scope],
            category: "Zone",
            isSelectable: true,
        })),
    }),
    "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken": (a) => ({
        ...a,
        token: "CANARY-tunnel-token",
    }),
};

export function mockCall(args: pulumi.runtime.MockCallArgs): State {
    const answer = invokes[args.token];
    if (!answer) throw new Error(`the mock engine has no answer for invoke ${args.token}: add one to tools/offline/mock-outputs.ts`);
    return answer(args.inputs);
}
