// Reading resource properties as the analyzer delivers them: plain JSON keyed by the SDK's camelCase
// names, where any field may be missing or of the wrong shape. These narrow instead of asserting.

export type Props = Record<string, unknown>;

export function record(value: unknown): Props | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined;
}

export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The value at a path of keys: `at(props, "metadata", "annotations")`. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) current = record(current)?.[key];
    return current;
}

/** `network/envoy-internal`: a Kubernetes object by namespace and name; the Pulumi name when metadata.name is not set. */
export function objectName(props: Props, resourceName: string, namespaced = true): string {
    const name = text(at(props, "metadata", "name")) ?? resourceName;
    return namespaced ? `${text(at(props, "metadata", "namespace")) ?? "default"}/${name}` : name;
}
