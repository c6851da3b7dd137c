package dev.bourse.operator.chart;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The field constraints the CRDs are generated from ({@code @Required}, {@code @Pattern}, {@code @Min}, {@code @Max},
 * {@code @Size} on the model classes), checked on a deserialized spec: the examples are validated against the model
 * even before the CRD files exist.
 */
final class ModelRules {
    private static final String MODEL_PACKAGE = "dev.bourse.operator.model";

    private ModelRules() {
    }

    static List<String> problems(Object spec) {
        List<String> out = new ArrayList<>();
        check(spec, "spec", out);
        return out;
    }

    private static void check(Object obj, String path, List<String> out) {
        for (Field f : obj.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object v;
            try {
                v = f.get(obj);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            String at = path + "." + f.getName();
            if (v == null) {
                if (f.isAnnotationPresent(Required.class)) {
                    out.add(at + " is required");
                }
                continue;
            }
            Pattern pattern = f.getAnnotation(Pattern.class);
            if (pattern != null && !java.util.regex.Pattern.compile(pattern.value()).matcher(v.toString()).find()) {
                out.add(at + " = " + v + " does not match " + pattern.value());
            }
            Min min = f.getAnnotation(Min.class);
            if (min != null && v instanceof Number n
                    && (min.inclusive() ? n.doubleValue() < min.value() : n.doubleValue() <= min.value())) {
                out.add(at + " = " + v + " is below " + min.value());
            }
            Max max = f.getAnnotation(Max.class);
            if (max != null && v instanceof Number n
                    && (max.inclusive() ? n.doubleValue() > max.value() : n.doubleValue() >= max.value())) {
                out.add(at + " = " + v + " is above " + max.value());
            }
            Size size = f.getAnnotation(Size.class);
            if (size != null) {
                long len = v instanceof Collection<?> c ? c.size() : v.toString().length();
                if (len < size.min() || len > size.max()) {
                    out.add(at + " has size " + len + ", allowed " + size.min() + ".." + size.max());
                }
            }
            if (v instanceof Collection<?> c) {
                int i = 0;
                for (Object item : c) {
                    if (item != null && isModel(item)) {
                        check(item, at + "[" + i + "]", out);
                    }
                    i++;
                }
            } else if (isModel(v) && !v.getClass().isEnum()) {
                check(v, at, out);
            }
        }
    }

    private static boolean isModel(Object o) {
        return o.getClass().getName().startsWith(MODEL_PACKAGE);
    }
}
