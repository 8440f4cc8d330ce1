/**
 * Bumped whenever parsing, segmentation, role inference or chunking changes what a source yields,
 * so that unchanged files are derived again after an upgrade instead of being skipped.
 */
export const PIPELINE_VERSION = '3';
