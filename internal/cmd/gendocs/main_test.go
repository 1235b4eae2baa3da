package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/cmd"
)

func TestGenDocs(t *testing.T) {
	dir := t.TempDir()
	build := cmd.BuildInfo{Version: "v1.2.3", Date: "2026-01-02T03:04:05Z"}
	var out bytes.Buffer
	if err := genDocs(cmd.NewRootCmd(&cmd.App{Build: build, In: strings.NewReader(""), Out: &out, ErrOut: &out}), dir, build); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"s3grant.1", "s3grant-plan.1", "s3grant-export.1", "s3grant-version.1"} {
		data, err := os.ReadFile(filepath.Join(dir, "man", page))
		if err != nil {
			t.Fatalf("man page %s: %v", page, err)
		}
		if !strings.Contains(string(data), ".SH EXAMPLE") || !strings.Contains(string(data), ".TH \"S3GRANT\"") {
			t.Errorf("man page %s lacks its header or examples:\n%s", page, data)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "man", "s3grant-gen-docs.1")); err == nil {
		t.Error("the hidden gen-docs command has a man page")
	}
	for name, want := range map[string]string{
		"s3grant.bash": "__start_s3grant", "s3grant.zsh": "#compdef s3grant",
		"s3grant.fish": "complete -c s3grant", "s3grant.ps1": "Register-ArgumentCompleter",
	} {
		data, err := os.ReadFile(filepath.Join(dir, "completions", name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("completion %s: %v, lacks %q", name, err, want)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "man", "s3grant.1")); !strings.Contains(string(data), "s3grant v1.2.3") || !strings.Contains(string(data), "Jan 2026") {
		t.Errorf("the man page does not carry the build's version and date:\n%.300s", data)
	}
}
