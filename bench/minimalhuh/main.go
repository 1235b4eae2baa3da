// Command minimalhuh is the baseline of bench/first-frame.sh: the smallest
// huh program with a screen like the wizard's first one, built the same way
// as s3grant, so the two times to a first frame can be compared.
package main

import (
	"fmt"
	"os"

	"github.com/charmbracelet/huh"
)

func main() {
	var owner string
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Who is involved?").Description("The owner account ID").Value(&owner),
	))
	if err := form.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
