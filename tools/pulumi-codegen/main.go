// Command pulumi-codegen writes the Python, Go or .NET SDK of a Pulumi package schema:
//
//	pulumi-codegen <schema.json> <python|go|dotnet> <out dir>
//
// `pulumi package gen-sdk` asks the language host of each language to generate its SDK, and the
// Python, Go and .NET language hosts are not served by the Go module proxy here. So this command
// runs the same code generators (Pulumi's pkg/codegen, at the release pinned in go.mod) directly,
// after the same schema validation (schema.BindSpec). Every file of <out dir> is replaced.
//
// It sends no network request: the .NET generator downloads the package's icon (logoUrl, else
// Pulumi's generic logo on GitHub), so a schema without a logoUrl gets logo.png from this
// directory, and any other request fails.
package main

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generated files say they were written by.
const tool = "pulumi-codegen"

//go:embed logo.png
var embedded embed.FS

// embeddedLogoURL is served from the embedded files by localOnly.
const embeddedLogoURL = "file:///logo.png"

// localOnly serves file:// URLs from the embedded files and refuses everything else.
type localOnly struct{ files http.RoundTripper }

func (t localOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "file" {
		return nil, fmt.Errorf("pulumi-codegen sends no network request (asked for %s)", req.URL)
	}
	return t.files.RoundTrip(req)
}

func main() {
	http.DefaultTransport = localOnly{http.NewFileTransport(http.FS(embedded))}
	http.DefaultClient = &http.Client{Transport: http.DefaultTransport}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-codegen: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: pulumi-codegen <schema.json> <python|go|dotnet> <out dir> (got %d arguments)", len(args))
	}
	schemaPath, language, outDir := args[0], args[1], args[2]

	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s is not a package schema: %w", schemaPath, err)
	}
	// The schema refers to no other package, so no loader is needed to resolve references.
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s is not a valid package schema: %s", schemaPath, diags.Error())
	}

	if pkg.LogoURL == "" {
		pkg.LogoURL = embeddedLogoURL
	}

	var files map[string][]byte
	switch language {
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, nil)
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	case "dotnet":
		files, err = dotnet.GeneratePackage(tool, pkg, nil, nil)
	default:
		return fmt.Errorf("language %q is not one of python, go, dotnet", language)
	}
	if err != nil {
		return fmt.Errorf("generating the %s SDK: %w", language, err)
	}

	if err := os.RemoveAll(outDir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(outDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
