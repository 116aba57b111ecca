/**
 * The filter expression language: {@link dev.spindle.jobs.filter.FilterExpression} parses
 * {@code --filter} text and binds it to a batch schema, giving a
 * {@link dev.spindle.jobs.filter.BoundFilter} that selects rows of Arrow batches column-wise.
 */
package dev.spindle.jobs.filter;
