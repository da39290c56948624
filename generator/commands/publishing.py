"""What check, build and publish do after the report: warn of sources kept in git, refuse
public sources, push the built site, write the job summary."""

from __future__ import annotations

import argparse

from generator.commands.output import Output
from generator.commands.summary import Summary
from generator.privacy.exposure import exposure_of, refusal, refuse_public_sources, tracked_warning
from generator.publish.build_types import BuildReport
from generator.publish.push import Pushed, push_site


def push(args: argparse.Namespace, report: BuildReport) -> Pushed:
    """publish: the built site to --to, once the report is known to allow it (the pipeline
    refused already; this is the last look before anything leaves)."""
    if args.sources_public:
        refuse_public_sources(report)
    return push_site(args.site_dir, args.to, args.branch)


def after_report(
    args: argparse.Namespace, report: BuildReport, pushed: Pushed | None, out: Output, err: Output, summary: Summary
) -> int:
    """What check, build and publish add to the report: the sources kept in git, the refusal
    of public sources (check: build and publish stopped before writing), the push, the job
    summary. Returns the exit status."""
    if args.command not in ("check", "build", "publish"):
        return 0
    warning = tracked_warning(report)
    if warning and not args.quiet:
        print(f"Warning: {warning}", file=err)
    exposure = exposure_of(report) if args.sources_public else None
    if exposure:
        print(f"Error: {refusal(exposure)}", file=err)
        summary.write(report, error=refusal(exposure), warning=warning)
        return 1
    if pushed is not None and not args.quiet:
        print(
            f"Published: the site ({pushed.files} files) was pushed to {pushed.remote}, branch {pushed.branch}",
            file=out,
        )
    summary.write(report, warning=warning, pushed=f"{pushed.remote}, branch {pushed.branch}" if pushed else None)
    return 0
