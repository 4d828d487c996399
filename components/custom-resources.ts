// Our own custom resources: their operations run in our provider plugin (provider/, named in Pulumi.yaml under
// plugins.providers), so each type token is `homelab:<area>:<Name>` and the engine starts that plugin for it.
// Until issue 23 each was a dynamic resource, recorded as `pulumi-nodejs:dynamic/<module>:<Name>`: the alias
// names that type, with the same name and parent, so a stack built then finds its resources under the new type
// (pulumi v3.248.0 pkg/resource/deploy/step_generator.go, generateAliases) and our provider diffs their state.
// Nothing is replaced: the engine asks the new provider's DiffConfig whether the provider change replaces them,
// and a Node.js provider answers Unimplemented, which the engine reads as "no" (providerChanged;
// sdk/go/common/resource/plugin/provider_plugin.go DiffConfig). test/engine/migration.engine.ts holds it.
import type * as pulumi from "@pulumi/pulumi";

/** Each resource's type token. */
export const customResourceTypes = {
    TalosRollout: "homelab:talos:TalosRollout",
    MaintenanceApply: "homelab:talos:MaintenanceApply",
    KubernetesNode: "homelab:talos:KubernetesNode",
    KubernetesApiReady: "homelab:kubernetes:ApiReady",
    KubernetesNodesReady: "homelab:kubernetes:NodesReady",
    AdguardForwarder: "homelab:dns:AdguardForwarder",
    TechnitiumForwarder: "homelab:dns:TechnitiumForwarder",
    TokenTerm: "homelab:cloudflare:TokenTerm",
} as const;

export type CustomResourceKind = keyof typeof customResourceTypes;

/** The type each had as a dynamic resource (pulumi.dynamic.Resource's `pulumi-nodejs:dynamic/<module>:<type>`). */
export const dynamicResourceTypes: Readonly<Record<CustomResourceKind, string>> = {
    TalosRollout: "pulumi-nodejs:dynamic/talos:TalosRollout",
    MaintenanceApply: "pulumi-nodejs:dynamic/talos:MaintenanceApply",
    KubernetesNode: "pulumi-nodejs:dynamic/talos:KubernetesNode",
    KubernetesApiReady: "pulumi-nodejs:dynamic/talos:KubernetesApiReady",
    KubernetesNodesReady: "pulumi-nodejs:dynamic/talos:KubernetesNodesReady",
    AdguardForwarder: "pulumi-nodejs:dynamic/dns:AdguardForwarder",
    TechnitiumForwarder: "pulumi-nodejs:dynamic/dns:TechnitiumForwarder",
    TokenTerm: "pulumi-nodejs:dynamic/cloudflare:TokenTerm",
};

/** The resource's options with the alias to its dynamic type added. */
export function customResourceOptions(kind: CustomResourceKind, opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...opts, aliases: [...(opts?.aliases ?? []), { type: dynamicResourceTypes[kind] }] };
}
