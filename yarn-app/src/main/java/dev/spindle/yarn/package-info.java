/** Spindle yarn-app. */
package dev.spindle.yarn;
