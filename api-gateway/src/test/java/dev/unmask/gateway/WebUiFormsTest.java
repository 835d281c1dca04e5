package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.TrainParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web UI's job forms hold no copy of a default or a limit: their fields come from the served
 * {@code /openapi.json} (generated from the parameter description), and every parameter they name
 * by hand is a described one. (The pages themselves run in a browser in the standalone module.)
 */
class WebUiFormsTest {
    private static final Path TRAIN_FORM = WebUiTest.WEBROOT.resolve("js/train-form.js");
    private static final Path PLAYGROUND = WebUiTest.WEBROOT.resolve("js/pages/playground.js");
    private static final Path COMPARE = WebUiTest.WEBROOT.resolve("js/pages/compare.js");
    /** A number literal as an input's default or limit: placeholder: '16', min: 1, max: 8192, value: 10. */
    private static final Pattern LITERAL = Pattern.compile("\\b(placeholder|min|max|value)\\s*:\\s*'?\\d");

    @Test
    void theFormsHoldNoDefaultOrLimitOfTheirOwn() throws IOException {
        for (Path file : List.of(TRAIN_FORM, PLAYGROUND, COMPARE, WebUiTest.WEBROOT.resolve("js/schema.js"))) {
            Matcher m = LITERAL.matcher(Files.readString(file));
            assertFalse(m.find(), file + " holds a literal default or limit: " + (m.hitEnd() ? "" : m.group()));
        }
        assertTrue(Files.readString(TRAIN_FORM).contains("schemas.TrainHyperparameters"));
        assertTrue(Files.readString(PLAYGROUND).contains("schemas.GenerateJobRequest"));
        assertTrue(Files.readString(COMPARE).contains("schemas.GenerateJobRequest"));
    }

    @Test
    void everyParameterAFormNamesIsDescribed() throws IOException {
        assertNamed(TRAIN_FORM, "COMMON", TrainParams.SET, 4);
        assertNamed(PLAYGROUND, "FIELDS", GenerateParams.SET, 4);
        assertNamed(COMPARE, "FIELDS", GenerateParams.SET, 4);
        // the playground's own starting values are described parameters, inside their ranges
        Matcher starting = Pattern.compile("const STARTING = \\{([^}]*)}").matcher(Files.readString(PLAYGROUND));
        assertTrue(starting.find());
        int values = 0;
        for (String entry : starting.group(1).split(",")) {
            String[] kv = entry.split(":");
            Param p = GenerateParams.SET.get(kv[0].trim());
            String text = kv[1].trim();
            Object value = p.type() == dev.unmask.jobspec.ParamType.INTEGER ? (Object) Long.parseLong(text)
                    : Double.parseDouble(text);
            assertEquals(java.util.Optional.empty(), p.check(value), entry);
            values++;
        }
        assertEquals(2, values);
    }

    private static void assertNamed(Path file, String constant, ParamSet set, int expected) throws IOException {
        Matcher m = Pattern.compile("const " + constant + " = \\[([^\\]]*)]").matcher(Files.readString(file));
        assertTrue(m.find(), file + " has " + constant);
        List<String> names = new ArrayList<>();
        Matcher name = Pattern.compile("'([a-z_]+)'").matcher(m.group(1));
        while (name.find()) {
            names.add(name.group(1));
            assertTrue(set.find(name.group(1)).isPresent(), file + ": " + name.group(1) + " is not a described "
                    + set.name() + " parameter");
        }
        assertEquals(expected, names.size(), file + " " + constant + ": " + names);
    }
}
