package dev.unmask.diffusion.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class LossPlotTest {

    @Test
    void wellFormedWithOnePolylinePerSeriesAndEscapedNames() throws Exception {
        String svg = LossPlot.svg("a <tiny> & \"quoted\" run", List.of(
                new LossPlot.Series("diffusion (tiny)", List.of(new LossPoint(1, 0.5, 8.0), new LossPoint(2, 1.0, 7.0))),
                new LossPlot.Series("gpt2 <b>", List.of(new LossPoint(1, 0.25, 8.2), new LossPoint(2, 2.0, Double.NaN),
                        new LossPoint(3, 2.0, 6.0)))));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(2, doc.getElementsByTagName("polyline").getLength());
        Element second = (Element) doc.getElementsByTagName("polyline").item(1);
        assertEquals(2, second.getAttribute("points").split(" ").length, "the NaN loss is left out");
        // the longest run ends at the right edge of the plot: x = WIDTH - RIGHT
        String last = second.getAttribute("points").split(" ")[1];
        assertEquals(LossPlot.WIDTH - LossPlot.RIGHT, Double.parseDouble(last.split(",")[0]), 0.05);
    }
}
