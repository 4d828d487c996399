// Helm's own renderer (helm.sh/helm/v4, the code `helm template` runs) renders each chart the program
// installs, from its source folder, with the program's values, release name, namespace and Kubernetes
// version. The chart's values.schema.json, its `required` and `fail` calls and its YAML all get their say.
//
// Input (stdin): {"releases": [{"label", "chartDir", "version", "releaseName", "namespace", "kubeVersion",
// "values", "includeCrds", "includeHooks"}]}. Output: one JSON line per release: label, error, and the
// rendered objects (as JSON, each with the template it came from), CRDs first, hooks last.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	releasev1 "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"sigs.k8s.io/yaml"
)

type releaseInput struct {
	Label       string         `json:"label"`
	ChartDir    string         `json:"chartDir"`
	Version     string         `json:"version"`
	ReleaseName string         `json:"releaseName"`
	Namespace   string         `json:"namespace"`
	KubeVersion string         `json:"kubeVersion"`
	Values      map[string]any `json:"values"`
	IncludeCRDs bool           `json:"includeCrds"`
	// A helm.v3.Release runs the chart's hooks (helm install does); a helm.v4.Chart drops them.
	IncludeHooks bool `json:"includeHooks"`
}

type renderedObject struct {
	Source string         `json:"source"`
	Hook   bool           `json:"hook"`
	Object map[string]any `json:"object"`
}

type rendered struct {
	Label   string           `json:"label"`
	Error   string           `json:"error,omitempty"`
	Objects []renderedObject `json:"objects"`
}

func main() {
	var in struct {
		Releases []releaseInput `json:"releases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintf(os.Stderr, "helm judge: reading the input: %v\n", err)
		os.Exit(2)
	}
	out := json.NewEncoder(os.Stdout)
	for _, r := range in.Releases {
		objects, err := render(r)
		result := rendered{Label: r.Label, Objects: objects}
		if result.Objects == nil {
			result.Objects = []renderedObject{}
		}
		if err != nil {
			result.Error = err.Error()
		}
		if err := out.Encode(result); err != nil {
			os.Exit(2)
		}
	}
}

func render(r releaseInput) ([]renderedObject, error) {
	loaded, err := loader.Load(r.ChartDir)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", r.ChartDir, err)
	}
	chart, ok := loaded.(*chartv2.Chart)
	if !ok {
		return nil, fmt.Errorf("%s: not a v2 chart", r.ChartDir)
	}
	// The folder must be the pinned release, or what is judged is another chart.
	if strings.TrimPrefix(chart.Metadata.Version, "v") != strings.TrimPrefix(r.Version, "v") {
		return nil, fmt.Errorf("%s is chart version %s, the program pins %s", r.ChartDir, chart.Metadata.Version, r.Version)
	}
	kubeVersion, err := common.ParseKubeVersion(r.KubeVersion)
	if err != nil {
		return nil, err
	}
	cfg := action.NewConfiguration(action.ConfigurationSetLogger(slog.NewTextHandler(io.Discard, nil)))
	install := action.NewInstall(cfg)
	// `helm template`: client-only, no cluster, the name check skipped.
	install.DryRunStrategy = action.DryRunClient
	install.Replace = true
	install.ReleaseName = r.ReleaseName
	install.Namespace = r.Namespace
	install.KubeVersion = kubeVersion
	install.IncludeCRDs = r.IncludeCRDs
	install.DisableHooks = !r.IncludeHooks
	values := r.Values
	if values == nil {
		values = map[string]any{}
	}
	result, err := install.RunWithContext(context.Background(), chart, values)
	if err != nil {
		return nil, err
	}
	rel, ok := result.(*releasev1.Release)
	if !ok {
		return nil, fmt.Errorf("unexpected release type %T", result)
	}
	objects, err := split(rel.Manifest, false)
	if err != nil {
		return nil, err
	}
	if r.IncludeHooks {
		for _, hook := range rel.Hooks {
			hooks, err := split(fmt.Sprintf("# Source: %s\n%s", hook.Path, hook.Manifest), true)
			if err != nil {
				return nil, err
			}
			objects = append(objects, hooks...)
		}
	}
	return objects, nil
}

// split parses a manifest stream in Helm's own order (SplitManifests keys, sorted as install sorts them).
func split(manifest string, hook bool) ([]renderedObject, error) {
	parts := releaseutil.SplitManifests(manifest)
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	var objects []renderedObject
	for _, k := range keys {
		doc := parts[k]
		source := ""
		if first, _, _ := strings.Cut(strings.TrimSpace(doc), "\n"); strings.HasPrefix(first, "# Source: ") {
			source = strings.TrimPrefix(first, "# Source: ")
		}
		var object map[string]any
		if err := yaml.Unmarshal([]byte(doc), &object); err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		if len(object) == 0 {
			continue
		}
		objects = append(objects, renderedObject{Source: source, Hook: hook, Object: object})
	}
	return objects, nil
}
