// Values as the engine sends them to a provider that accepts secrets (the Node.js provider server says it does:
// @pulumi/pulumi 3.248.0 provider/server.js configure, setAcceptsecrets(true)): a secret is an object marked with
// Pulumi's signature key, anywhere in a value. Our handlers take plain values; what they return is marked secret
// again where the same property of what they were given was, as the engine itself does for a provider that does
// not accept secrets (pulumi v3.248.0 sdk/go/common/resource/plugin/provider_plugin.go, annotateSecrets).
import * as pulumi from "@pulumi/pulumi";

type Value = unknown;
type Props = Record<string, Value>;

const isObject = (value: Value): value is Props => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value with every secret unwrapped. */
export function plainValue(value: Value): Value {
    if (pulumi.runtime.isRpcSecret(value)) return plainValue(pulumi.runtime.unwrapRpcSecret(value));
    if (Array.isArray(value)) return value.map(plainValue);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plainValue(v)]));
    return value;
}

/**
 * A resource's properties as a handler takes them: secrets unwrapped, and without `__provider`, the serialized code
 * that a state written by the dynamic provider host carries (our resources were dynamic resources until issue 23).
 */
export function plainProps(props: Props | undefined): Props {
    const rest = { ...props };
    delete rest.__provider;
    return plainValue(rest) as Props;
}

const secret = (value: Value) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

/** `outs` with each property secret whose counterpart in `like` is, recursively through objects. */
export function withSecretsOf(outs: Props, like: Props): Props {
    return Object.fromEntries(
        Object.entries(outs).map(([key, value]) => {
            const counterpart = like[key];
            if (pulumi.runtime.isRpcSecret(value)) return [key, value];
            if (pulumi.runtime.isRpcSecret(counterpart)) return [key, secret(value)];
            if (isObject(value) && isObject(counterpart)) return [key, withSecretsOf(value, counterpart)];
            return [key, value];
        }),
    );
}

/** Plain JSON: what the provider server can send (google.protobuf.Struct has no `undefined`). */
export function jsonProps(props: Props): Props {
    return JSON.parse(JSON.stringify(props)) as Props;
}
