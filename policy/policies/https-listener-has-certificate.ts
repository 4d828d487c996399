import { ResourceValidationPolicy } from "@pulumi/policy";
import { at, list, objectName, Props, text } from "./props";
import { requireType, resourceTypes } from "./resource-types";

/** HTTPS listeners, and TLS listeners that terminate (the default mode), need a certificate to serve. */
function terminatesTls(listener: unknown): boolean {
    const protocol = text(at(listener, "protocol"));
    return protocol === "HTTPS" || (protocol === "TLS" && (text(at(listener, "tls", "mode")) ?? "Terminate") === "Terminate");
}

export function listenerCertificateProblems(resourceName: string, props: Props): string[] {
    const gateway = `Gateway ${objectName(props, resourceName)}`;
    return list(at(props, "spec", "listeners")).flatMap((listener, i) =>
        terminatesTls(listener) && list(at(listener, "tls", "certificateRefs")).length === 0
            ? [`${gateway}: ${text(at(listener, "protocol"))} listener ${text(at(listener, "name")) ?? `#${i}`} has no tls.certificateRefs`]
            : [],
    );
}

export const httpsListenerHasCertificate: ResourceValidationPolicy = {
    name: "https-listener-has-certificate",
    description: "Every HTTPS listener of a Gateway (and every terminating TLS listener) names its certificate in tls.certificateRefs.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        requireType(args, resourceTypes.gateway);
        listenerCertificateProblems(args.name, args.props).forEach((message) => reportViolation(message));
    },
};
