import { JudgedObject, KubeObject } from "./inputs";

// Checks across the objects of one stack that no single schema can make: a Service must select pods
// something creates and name ports those pods have; whatever a pod mounts or runs as must be created
// by someone. Pure: they take the rendered and program objects and return problems.

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

interface PodTemplate {
    owner: JudgedObject;
    namespace: string;
    labels: Record<string, string>;
    spec: Any;
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

export function podTemplates(objects: readonly JudgedObject[]): PodTemplate[] {
    return objects.flatMap((o) => {
        const object = o.object as Any;
        if (workloadKinds.has(object.kind) && object.spec?.template) {
            return [
                {
                    owner: o,
                    namespace: object.metadata.namespace,
                    labels: object.spec.template.metadata?.labels ?? {},
                    spec: object.spec.template.spec ?? {},
                },
            ];
        }
        if (object.kind === "CronJob" && object.spec?.jobTemplate?.spec?.template) {
            const t = object.spec.jobTemplate.spec.template;
            return [{ owner: o, namespace: object.metadata.namespace, labels: t.metadata?.labels ?? {}, spec: t.spec ?? {} }];
        }
        return [];
    });
}

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);

const containersOf = (spec: Any): Any[] => [...(spec.containers ?? []), ...(spec.initContainers ?? [])];

export interface CrossProblem {
    subject: string;
    problem: string;
}

/** Every Service with a selector selects some pod template, and each named targetPort is a port of every pod it selects, same protocol. */
export function serviceProblems(objects: readonly JudgedObject[]): { checked: string[]; problems: CrossProblem[] } {
    const templates = podTemplates(objects);
    const checked: string[] = [];
    const problems: CrossProblem[] = [];
    for (const o of objects) {
        const service = o.object as Any;
        if (service.kind !== "Service" || !service.spec?.selector || !Object.keys(service.spec.selector).length) continue;
        checked.push(o.id);
        const selected = templates.filter((t) => t.namespace === service.metadata.namespace && selects(service.spec.selector, t.labels));
        if (!selected.length) {
            problems.push({
                subject: o.id,
                problem: `selector ${JSON.stringify(service.spec.selector)} selects no pod template in ${service.metadata.namespace}`,
            });
            continue;
        }
        for (const port of service.spec.ports ?? []) {
            const protocol = port.protocol ?? "TCP";
            const target = port.targetPort ?? port.port;
            for (const t of selected) {
                const ports = containersOf(t.spec).flatMap((c: Any) => c.ports ?? []);
                const match =
                    typeof target === "string"
                        ? ports.find((p: Any) => p.name === target)
                        : (ports.find((p: Any) => p.containerPort === target) ?? { containerPort: target, protocol });
                if (!match) {
                    const names =
                        ports.map((p: Any) => `${p.name ?? "(unnamed)"} ${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ") || "none";
                    problems.push({
                        subject: o.id,
                        problem: `port ${port.name ?? port.port}: targetPort ${JSON.stringify(target)} is no port of ${t.owner.id} (its ports: ${names})`,
                    });
                } else if ((match.protocol ?? "TCP") !== protocol) {
                    problems.push({
                        subject: o.id,
                        problem: `port ${port.name ?? port.port}: ${protocol} to ${JSON.stringify(target)}, which ${t.owner.id} declares as ${match.protocol ?? "TCP"}`,
                    });
                }
            }
        }
    }
    return { checked, problems };
}

/** What a pod needs to exist: [kind, name] of each Secret, ConfigMap and ServiceAccount it mounts, reads or runs as. */
export function podReferences(
    spec: Any,
): { kind: "Secret" | "ConfigMap" | "ServiceAccount"; name: string; optional: boolean; where: string }[] {
    const refs: ReturnType<typeof podReferences> = [];
    const serviceAccount = spec.serviceAccountName ?? spec.serviceAccount;
    // "default" is made by the service-account controller in every namespace.
    if (serviceAccount && serviceAccount !== "default")
        refs.push({ kind: "ServiceAccount", name: serviceAccount, optional: false, where: "serviceAccountName" });
    for (const s of spec.imagePullSecrets ?? []) refs.push({ kind: "Secret", name: s.name, optional: false, where: "imagePullSecrets" });
    for (const v of spec.volumes ?? []) {
        if (v.secret)
            refs.push({ kind: "Secret", name: v.secret.secretName, optional: v.secret.optional === true, where: `volume ${v.name}` });
        if (v.configMap)
            refs.push({ kind: "ConfigMap", name: v.configMap.name, optional: v.configMap.optional === true, where: `volume ${v.name}` });
        for (const source of v.projected?.sources ?? []) {
            if (source.secret)
                refs.push({
                    kind: "Secret",
                    name: source.secret.name,
                    optional: source.secret.optional === true,
                    where: `volume ${v.name}`,
                });
            // kube-root-ca.crt is published in every namespace by kube-controller-manager.
            if (source.configMap && source.configMap.name !== "kube-root-ca.crt") {
                refs.push({
                    kind: "ConfigMap",
                    name: source.configMap.name,
                    optional: source.configMap.optional === true,
                    where: `volume ${v.name}`,
                });
            }
        }
    }
    for (const c of containersOf(spec)) {
        for (const e of c.env ?? []) {
            const secret = e.valueFrom?.secretKeyRef;
            const configMap = e.valueFrom?.configMapKeyRef;
            if (secret)
                refs.push({
                    kind: "Secret",
                    name: secret.name,
                    optional: secret.optional === true,
                    where: `container ${c.name} env ${e.name}`,
                });
            if (configMap)
                refs.push({
                    kind: "ConfigMap",
                    name: configMap.name,
                    optional: configMap.optional === true,
                    where: `container ${c.name} env ${e.name}`,
                });
        }
        for (const e of c.envFrom ?? []) {
            if (e.secretRef)
                refs.push({
                    kind: "Secret",
                    name: e.secretRef.name,
                    optional: e.secretRef.optional === true,
                    where: `container ${c.name} envFrom`,
                });
            if (e.configMapRef)
                refs.push({
                    kind: "ConfigMap",
                    name: e.configMapRef.name,
                    optional: e.configMapRef.optional === true,
                    where: `container ${c.name} envFrom`,
                });
        }
    }
    return refs;
}

/**
 * Objects made at run time by a controller the program installs, with the upstream place that makes them.
 * Only these count as "created by someone" besides the objects themselves.
 */
export interface RuntimeCreator {
    kind: "Secret" | "ConfigMap";
    /** The object's namespace and name, or a function of the stack's objects. */
    made(objects: readonly JudgedObject[]): { namespace: string; name: string; by: string }[];
}

/** cert-manager writes each Certificate's spec.secretName (the Certificate controller issues into it). */
export const certificateSecrets: RuntimeCreator = {
    kind: "Secret",
    made: (objects) =>
        objects
            .filter((o) => o.object.kind === "Certificate" && o.object.apiVersion.startsWith("cert-manager.io/"))
            .map((o) => ({
                namespace: o.object.metadata.namespace ?? "",
                name: String((o.object as Any).spec.secretName),
                by: `cert-manager, for ${o.id}`,
            })),
};

/**
 * Envoy Gateway's certgen Job (the gateway-helm chart's pre-install hook, templates/certgen.yaml, run by
 * `envoy-gateway certgen`) writes the TLS Secrets `envoy-gateway` and `envoy` into its own namespace
 * (envoyproxy/gateway v1.9.0 internal/provider/kubernetes/secrets.go, CertsToSecret). Only a hook that is
 * applied runs: a chart installed without its hooks gets no Secrets.
 */
export const envoyGatewayCertgenSecrets: RuntimeCreator = {
    kind: "Secret",
    made: (objects) =>
        podTemplates(objects)
            .filter(
                (t) =>
                    t.owner.object.kind === "Job" &&
                    containersOf(t.spec).some((c: Any) => (c.command ?? []).join(" ") === "envoy-gateway certgen"),
            )
            .flatMap((t) =>
                ["envoy-gateway", "envoy"].map((name) => ({ namespace: t.namespace, name, by: `envoy-gateway certgen (${t.owner.id})` })),
            ),
};

/** Every Secret, ConfigMap and ServiceAccount a pod template needs is an object of the stack, or made by a known controller. */
export function mountProblems(
    objects: readonly JudgedObject[],
    creators: readonly RuntimeCreator[] = [certificateSecrets, envoyGatewayCertgenSecrets],
): { checked: string[]; problems: CrossProblem[] } {
    const exists = new Set(objects.map((o) => `${o.object.metadata.namespace ?? ""}/${o.object.kind}/${o.object.metadata.name}`));
    for (const c of creators) for (const m of c.made(objects)) exists.add(`${m.namespace}/${c.kind}/${m.name}`);
    const checked: string[] = [];
    const problems: CrossProblem[] = [];
    for (const t of podTemplates(objects)) {
        checked.push(t.owner.id);
        for (const ref of podReferences(t.spec)) {
            if (ref.optional || exists.has(`${t.namespace}/${ref.kind}/${ref.name}`)) continue;
            problems.push({
                subject: t.owner.id,
                problem: `${ref.where} needs ${ref.kind} ${t.namespace}/${ref.name}, which nothing creates`,
            });
        }
    }
    return { checked, problems };
}

export type { KubeObject };
