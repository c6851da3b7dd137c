/**
 * The custom resources of group {@code trading.bourse.dev/v1}: API model only (specs, statuses, conditions),
 * no behaviour. {@code crds/} is generated from these classes by fabric8's crd-generator.
 */
package dev.bourse.operator.model;
