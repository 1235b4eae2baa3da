// Command hello is the Go hello-world bench/startup.sh times s3grant's
// start-up against: the floor of any Go program's start.
package main

import "os"

func main() { os.Stdout.WriteString("hello, world\n") }
