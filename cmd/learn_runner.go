package cmd

import (
	"context"
	"fmt"

	"github.com/s3grant/s3grant/aws"
	"github.com/s3grant/s3grant/lesson"
	"github.com/s3grant/s3grant/sandbox"
)

// lessonReport is the body of the object the lesson reads.
const lessonReport = "quarter,revenue\n2026-Q1,3900\n"

// sandboxLesson is the lesson's Runner: a private sandbox, its
// administrators and the consumer, reconnected after every reset (a reset
// issues new keys).
type sandboxLesson struct {
	run   *sandboxRun
	base  *App
	accts aws.LessonAccounts
}

// startLesson starts the private sandbox the lesson runs in.
func startLesson(base *App) (*sandboxLesson, error) {
	run, err := startSandbox(sandbox.Options{}, 0, "")
	if err != nil {
		return nil, err
	}
	return &sandboxLesson{run: run, base: base}, nil
}

func (l *sandboxLesson) stop() { l.run.stop() }

// Reset puts the sandbox back to the demo, writes the new keys to its
// config file, reconnects every identity and writes reports/q1.csv.
func (l *sandboxLesson) Reset(ctx context.Context) error {
	if err := l.run.sb.Reset(true); err != nil {
		return err
	}
	l.run.profiles = l.run.sb.Profiles()
	cfg := sandbox.ConfigFile(l.run.profiles, l.run.srv.URL(), sandbox.Region, l.run.caFile)
	if err := sandbox.WriteFile(l.run.config, cfg); err != nil {
		return fmt.Errorf("write the sandbox's profile file: %w", err)
	}
	app := l.run.app(l.base)
	connect := func(profile, endpoint string) (*aws.Account, error) {
		o := app.AWS
		o.Profile, o.RetryMaxAttempts = profile, 1
		if endpoint != "" {
			o.EndpointURL = endpoint
		}
		return aws.Connect(ctx, o)
	}
	a := aws.LessonAccounts{Region: sandbox.Region}
	var err error
	if a.Owner, err = connect("sandbox-owner", ""); err != nil {
		return err
	}
	if a.ConsumerAdmin, err = connect("sandbox-consumer-admin", ""); err != nil {
		return err
	}
	if a.Consumer, err = connect("sandbox-consumer", ""); err != nil {
		return err
	}
	if a.ConsumerPlain, err = connect("sandbox-consumer", l.run.srv.PlainURL()); err != nil {
		return err
	}
	l.accts = a
	return a.PutLessonObject(ctx, lesson.Report, lessonReport)
}

func (l *sandboxLesson) Apply(ctx context.Context, d lesson.Doc) error { return l.accts.Apply(ctx, d) }

func (l *sandboxLesson) Send(ctx context.Context, r lesson.Req) lesson.Outcome {
	return l.accts.Send(ctx, r)
}
