/** The run report: report.json's shape and report.html with its charts and transcripts. */
package dev.tpo.activities.report;
