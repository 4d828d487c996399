import { strict as assert } from "assert";
import { mountProblems, serviceProblems } from "../../tools/upstream/cross-checks";
import { RecordedRun } from "../../tools/offline/record";
import { ciliumValuesProblems, schemaProblems, stackObjects } from "./objects";
import { record } from "./tally";
import { runHome, runVariant, variants } from "./stacks";

// Helm's renderer (helm.sh/helm/v4) on every chart the program installs, at its pinned version, with the
// program's values, release name, namespace and Kubernetes version; then the rendered and program objects
// against the reference schemas and against each other.

function judge(stack: string, run: RecordedRun): string[] {
    const { releases, renderings, objects } = stackObjects(run, stack);
    const refused: string[] = [];
    const note = (j: ReturnType<typeof record>) => j.refusal && refused.push(`${j.subject}: ${j.refusal}`);
    for (const release of releases) {
        if (release.chart === "cilium") {
            note(
                record({
                    judge: "schema",
                    subject: `${release.label} values (chart 1.20.0 values.schema.json; no chart source to render)`,
                    refusal: ciliumValuesProblems(release.values).join("\n") || undefined,
                }),
            );
            continue;
        }
        const rendering = renderings.get(release.resource.urn);
        if (!rendering) {
            // A day-2 bump to a release whose source ../shared/charts does not hold: nothing to render, said so.
            console.log(`not judged   helm         ${release.label}: ../shared/charts holds no source for this version`);
            continue;
        }
        note(record({ judge: "helm", subject: `${release.label} -> ${rendering.objects.length} objects`, refusal: rendering.error }));
    }
    for (const o of objects) {
        const problems = schemaProblems(o);
        if (problems)
            note(record({ judge: "schema", subject: `${stack} ${o.id} (${o.origin})`, refusal: problems.join("\n") || undefined }));
    }
    const services = serviceProblems(objects);
    for (const id of services.checked) {
        const problems = services.problems.filter((p) => p.subject === id).map((p) => p.problem);
        note(
            record({
                judge: "cross-object",
                subject: `${stack} ${id} selects pods and ports that exist`,
                refusal: problems.join("\n") || undefined,
            }),
        );
    }
    const mounts = mountProblems(objects);
    for (const id of mounts.checked) {
        const problems = mounts.problems.filter((p) => p.subject === id).map((p) => p.problem);
        note(
            record({
                judge: "cross-object",
                subject: `${stack} ${id} mounts and runs as what exists`,
                refusal: problems.join("\n") || undefined,
            }),
        );
    }
    return refused;
}

describe("Helm's renderer on every chart, and the objects across each other", function () {
    this.timeout(300_000);

    it("home", async () => {
        assert.deepEqual(judge("home", await runHome()), []);
    });

    for (const variant of variants) {
        it(`day 2: ${variant.title}`, async () => {
            assert.deepEqual(judge(variant.title, await runVariant(variant)), []);
        });
    }
});
