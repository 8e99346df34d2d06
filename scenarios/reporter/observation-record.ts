import { readFileSync } from "node:fs";
import type { Bound } from "../expectations";
import type { Diagnosis } from "../expectation-check";

/** What the expectObserved fixture attaches to each test as observation.json, and the reporters read. */
export interface ObservationRecord {
  scenario: string;
  variant: string;
  /** The browser engine that observed it (absent in records from before Firefox ran). */
  engine?: "chromium" | "firefox";
  observation: Record<string, unknown>;
  expected: Record<string, unknown>;
  bounds: Record<string, Bound>;
  /** The observation matched the variant's row (or HEALTHY, for a user's config). */
  asExpected: boolean;
  mismatches: string[];
  /** The feature works (the observation matches HEALTHY), whatever was expected. */
  healthy: boolean;
  diagnosis: Diagnosis | null;
}

interface AttachmentLike {
  name: string;
  path?: string;
  body?: Buffer;
}

/** An attachment's text, inline or from its file; null if neither is readable (e.g. a pruned report). */
export function attachmentText(attachments: readonly AttachmentLike[], name: string): string | null {
  const found = attachments.find((a) => a.name === name);
  if (!found) return null;
  if (found.body) return found.body.toString("utf8");
  try {
    return found.path ? readFileSync(found.path, "utf8") : null;
  } catch {
    return null;
  }
}

export function readRecord(attachments: readonly AttachmentLike[]): ObservationRecord | null {
  const text = attachmentText(attachments, "observation.json");
  return text ? (JSON.parse(text) as ObservationRecord) : null;
}
