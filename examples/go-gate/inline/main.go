// Command inline runs gate.Program through the Automation API, as an inline program: this process
// serves the program to the `pulumi` CLI found on PATH, so no Go language host is needed.
//
//	go run ./inline <stack> preview|up|refresh|destroy [--expect-no-changes]
//
// The project is the current directory (its Pulumi.yaml and Pulumi.<stack>.yaml: set the stack's
// config with `pulumi config set` there). The CLI's output is printed as it comes; a failed
// command prints its error and exits with 1.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"example.com/rds-go-gate/gate"
)

const usage = "usage: inline <stack> preview|up|refresh|destroy [--expect-no-changes]"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) < 2 || len(args) > 3 || (len(args) == 3 && args[2] != "--expect-no-changes") {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	stackName, command, expectNoChanges := args[0], args[1], len(args) == 3
	ctx := context.Background()
	workDir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stack, err := auto.SelectStackInlineSource(ctx, stackName, "rds-go-gate", gate.Program, auto.WorkDir(workDir))
	if err != nil {
		fmt.Fprintf(os.Stderr, "selecting stack %s: %v\n", stackName, err)
		return 1
	}

	switch command {
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout), optpreview.Color("never")}
		if expectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		_, err = stack.Preview(ctx, opts...)
	case "up":
		opts := []optup.Option{optup.ProgressStreams(os.Stdout), optup.Color("never")}
		if expectNoChanges {
			opts = append(opts, optup.ExpectNoChanges())
		}
		_, err = stack.Up(ctx, opts...)
	case "refresh":
		opts := []optrefresh.Option{optrefresh.ProgressStreams(os.Stdout), optrefresh.Color("never")}
		if expectNoChanges {
			opts = append(opts, optrefresh.ExpectNoChanges())
		}
		_, err = stack.Refresh(ctx, opts...)
	case "destroy":
		if expectNoChanges {
			fmt.Fprintln(os.Stderr, usage)
			return 2
		}
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout), optdestroy.Color("never"))
	default:
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s failed: %v\n", command, err)
		return 1
	}
	return 0
}
