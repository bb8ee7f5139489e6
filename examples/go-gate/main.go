// `pulumi up` with the Go language host builds and runs this package: the program is gate.Program.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"example.com/rds-go-gate/gate"
)

func main() {
	pulumi.Run(gate.Program)
}
