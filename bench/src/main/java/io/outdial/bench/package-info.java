/** JMH benchmarks and load runs. Figures go to docs/BENCHMARKS.md as ratios against an in-run baseline. */
package io.outdial.bench;
