package dev.unmask.diffusion.cli;

import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamError;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamType;
import dev.unmask.jobspec.ParamValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options generated from a {@link ParamSet}: one per parameter with a
 * {@link Param#cli() CLI name}, typed as described, with the described default and help
 * ("doc; range (default: ...)"), and the values read back as {@link ParamValues}, checked.
 */
final class ParamOptions {
    private ParamOptions() {}

    /** A command whose options include a described parameter set. */
    interface Described {
        ParamSet params();
    }

    /** Adds the described options to every subcommand of {@code cli} that is {@link Described}. */
    static void install(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommand() instanceof Described d) {
                add(sub.getCommandSpec(), d.params());
            }
        }
    }

    static void add(CommandSpec spec, ParamSet set) {
        for (Param p : set.params()) {
            if (p.cli() == null) {
                continue;
            }
            OptionSpec.Builder option = OptionSpec.builder(p.cli())
                    .type(switch (p.type()) {
                        case INTEGER -> Long.class;
                        case NUMBER -> Double.class;
                        case ENUM, STRING -> String.class;
                    })
                    .paramLabel(label(p))
                    .description(help(p).replace("%", "%%"));
            if (p.derived() == null && p.defaultValue() != null) {
                option.defaultValue(p.defaultText());
            }
            spec.addOption(option.build());
        }
    }

    static String label(Param p) {
        return switch (p.type()) {
            case INTEGER -> "N";
            case NUMBER -> "X";
            case ENUM -> String.join("|", p.choices());
            case STRING -> "TEXT";
        };
    }

    /** "doc; range (default: ...)", what {@code --help} prints for the option. */
    static String help(Param p) {
        StringBuilder text = new StringBuilder(p.doc());
        if (p.type() != ParamType.ENUM && !"any".equals(p.rangeText())) {
            text.append("; ").append(p.rangeText());
        }
        if (p.when() != null) {
            text.append("; with --").append(p.when().param().cli().replaceFirst("^--?", "")).append(' ')
                    .append(p.when().value());
        }
        return text.append(" (default: ").append(p.defaultText()).append(')').toString();
    }

    /**
     * The parsed values of the described options, every other default filled in and every
     * described range and rule checked.
     *
     * @throws IllegalArgumentException naming each refused option
     */
    static ParamValues read(CommandSpec spec, ParamSet set) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (Param p : set.params()) {
            if (p.cli() != null) {
                Object value = spec.findOption(p.cli()).getValue();
                if (value != null) {
                    given.put(p.path(), value);
                }
            }
        }
        ParamValues values = set.resolve(given);
        List<ParamError> errors = set.errors(values);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors.stream()
                    .map(e -> set.get(e.field()).cli() + " " + e.message()).toList()));
        }
        return values;
    }
}
