"""The demo site's content as data: sections, articles, edition-2 edits, odd URLs.

Every story is fictional local news from the fictional town of Riverbend, written for this
project. Each article picks a markup ``skin``, a metadata ``meta`` shape, the ``chrome``
(boilerplate) around it and a ``transfer`` mode, so the site covers the shapes crawlers and
extractors meet in the wild. Bodies use the mini-markup described in ``pages.body_html``.
"""

from __future__ import annotations

import copy

from crawler.demo import pages

SECTIONS = [
    {"slug": "news", "name": "Local News", "per_page": 6,
     "description": "City hall, schools, roads and public safety in Riverbend."},
    {"slug": "business", "name": "Business",
     "description": "Jobs, shops, the port and the local economy."},
    {"slug": "culture", "name": "Culture",
     "description": "Arts, music, books and the people who make Riverbend interesting."},
    {"slug": "sport", "name": "Sport",
     "description": "From the rowing club to Friday night football."},
    {"slug": "popculture", "name": "Pop Culture",
     "description": "Television, film and celebrity stories we are reading elsewhere."},
]

PRIVATE_PATH = "/private/draft-article"
REDIRECTS = {"/old/story/4471": "/news/2026/11/19/fire-station-reopens-after-renovation"}
DEAD_LINKS = ["/news/2026/10/02/ferry-schedule-withdrawn"]
ASSETS = [
    ("img/riverfront-path.png", "image/png"),
    ("img/elm-street.png", "image/png"),
    ("img/marathon-route.png", "image/png"),
    ("img/regatta.png", "image/png"),
    ("img/courier-logo.png", "image/png"),
    ("docs/courier-ethics-policy.pdf", "application/pdf"),
]
HOME_EXTRA_LINKS = [
    ("/old/story/4471", "Fire station 3 is back in service"),
    ("/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932",
     "The story behind Jim and Pam's first kiss on 'The Office'"),
    (PRIVATE_PATH, "Staff preview: budget story (draft)"),
]

RIVER_FIG = ("/static/img/riverfront-path.png", "The riverfront near the old grain elevator",
             "The proposed path would run along the east bank between the grain elevator and Mill Park.",
             "Dana Whitfield / Riverbend Courier")
ELM_FIG = ("/static/img/elm-street.png", "Crews work on Elm Street",
           "Utility crews dig out the broken main on Elm Street on Monday morning.",
           "Marcus Lee / Riverbend Courier")
ROUTE_FIG = ("/static/img/marathon-route.png", "Map of the marathon route",
             "The new course makes one loop around the reservoir instead of two.",
             "Riverbend Marathon Committee")
REGATTA_FIG = ("/static/img/regatta.png", "Rowers on the Riverbend reservoir",
               "The women's eight pulls clear of Lakeport in the final 500 metres.",
               "Priya Natarajan for the Courier")

STORIES: list[dict] = [
    {
        "path": "/news/2026/11/23/council-approves-riverfront-path",
        "section": "news",
        "headline": "Council approves $4.2 million riverfront path after two-year debate",
        "teaser": "Riverfront path wins council approval",
        "description": "The 2.8-mile trail will link Mill Park to the grain elevator district, with construction set to begin in April.",
        "authors": ["Dana Whitfield"],
        "published": "2026-11-23T21:05:00-05:00",
        "modified": "2026-11-23T22:40:00-05:00",
        "meta": "jsonld",
        "chrome": ["cookie", "share", "ads", "newsletter"],
        "transfer": "identity",
        "tags": ["City Council", "Parks", "Transportation"],
        "figures": [RIVER_FIG],
        "related": ["/news/2026/11/21/bridge-inspection-finds-corrosion",
                    "/business/2026/11/22/bakery-opens-second-location",
                    "/news/2026/11/20/winter-festival-parking-changes"],
        "body": [
            "Riverbend City Council voted 6-1 on Monday night to build a paved path along the east bank of the Sable River, ending a two-year argument over where the trail should run and who should pay for it.",
            "The $4.2 million project will connect Mill Park to the old grain elevator district, a stretch of about 2.8 miles that is now mostly gravel, chain-link fence and the backs of warehouses. Construction is scheduled to begin in April and finish by the end of next year.",
            "[figure 0]",
            "## Where the money comes from",
            "Roughly two-thirds of the cost will be covered by a state active-transportation grant the city won in the spring. The rest will come from the parks capital fund and a $600,000 contribution from the Sable River Conservancy, which has lobbied for the path since 2019.",
            "Council member Ruth Okafor, who cast the only vote against the plan, said she supported the trail but not the timing.",
            "> We are asking residents to pay more for water next year and we still have not fixed the bridge on Canal Street. I would have liked to see those first.\n-- Council member Ruth Okafor",
            "Mayor Tom Brandvold said the grant would have expired if the council had waited another budget cycle. \"This money is for paths, not pipes,\" he said after the vote. \"If we turn it down, another city gets it.\"",
            "## What changes for neighbours",
            "Owners of eleven properties along the route have agreed to easements, according to the public works department. Two more are still negotiating. The city has said it will not use eminent domain, and the design includes a short detour along Front Street if either talk fails.",
            "The path will be 12 feet wide, lit at night and open to bicycles, scooters and pedestrians. Dogs must be leashed. Public works director Alana Greer said the lighting would be shielded to keep glare off the water, a concern raised by the Audubon chapter at several hearings.",
            "Residents who spoke during the public comment period were mostly in favour. Several asked for more benches and a water fountain near the halfway point; Greer said both could be added without changing the budget.",
            "The council will review final engineering drawings in February.",
        ],
    },
    {
        "path": "/news/2026/11/23/water-main-break-closes-elm-street",
        "section": "news",
        "headline": "Water main break closes Elm Street for second day",
        "teaser": "Elm Street stays closed after main break",
        "description": "About 300 homes were without water overnight; the city says service should return by Tuesday evening.",
        "authors": ["Marcus Lee"],
        "published": "2026-11-23T07:30:00-05:00",
        "modified": "2026-11-23T16:10:00-05:00",
        "meta": "graph",
        "chrome": ["share", "ads"],
        "transfer": "gzip",
        "tags": ["Utilities", "Traffic"],
        "figures": [ELM_FIG],
        "related": ["/news/2026/11/23/live-first-winter-storm",
                    "/news/2026/11/18/transit-fares-change-january"],
        "body": [
            "A 10-inch cast-iron water main split under Elm Street early Sunday, flooding two blocks and leaving about 300 homes on the north side without running water overnight.",
            "The street remains closed between Fourth and Seventh avenues while crews replace a 40-foot section of pipe. The utilities department said it expects to restore service by Tuesday evening and reopen the road to traffic on Wednesday.",
            "[figure 0]",
            "Utilities director Samuel Ortega said the pipe was installed in 1931 and was on the replacement list for 2028. Cold nights followed by a warm afternoon likely stressed the line, he said.",
            "Bottled water is available at the Northside Community Center until 8 p.m. Residents who see discoloured water after service returns should run a cold tap for several minutes before calling the city.",
            "Buses on Route 4 are detouring along Maple Street. The school district said buses would pick up Elm Street students at the corner of Fourth and Maple.",
        ],
    },
    {
        "path": "/news/2026/11/22/school-board-delays-budget-vote",
        "section": "news",
        "headline": "School board delays budget vote as enrollment falls for third year",
        "teaser": "School board puts off budget vote",
        "description": "Trustees want a closer look at a plan to merge two elementary schools before voting on next year's spending.",
        "authors": ["Alicia Moreno", "Ben Carver"],
        "published": "2026-11-22T20:15:00-05:00",
        "meta": "array",
        "chrome": ["share", "related", "ads"],
        "transfer": "chunked",
        "tags": ["Education", "Budget"],
        "related": ["/news/2026/11/22/library-extends-weekend-hours",
                    "/news/2026/11/23/council-approves-riverfront-path"],
        "body": [
            "The Riverbend school board postponed a vote on next year's $61 million budget on Saturday after trustees said they needed more time to study a proposal to merge Hawthorne and Lincoln elementary schools.",
            "District enrollment fell to 4,812 students this fall, down from 5,090 three years ago. Superintendent Karen Liu told the board that the decline has left both buildings less than 60 percent full and that heating and staffing two half-empty schools costs about $900,000 a year.",
            "Parents filled the meeting room and the hallway outside. Many of the 23 people who spoke opposed the merger, saying it would mean longer bus rides and larger classes.",
            "## What the plan would do",
            "- Move all Hawthorne students to Lincoln starting in fall 2027.",
            "- Keep class sizes at or below 24 in kindergarten through third grade.",
            "- Turn the Hawthorne building into an early-childhood centre run with the county.",
            "Trustee Mark Feeney said he was not ready to vote. \"I have read the consultant's report twice and I still cannot tell you what the bus routes look like,\" he said.",
            "The board will hold a workshop on the merger on December 3 and is expected to vote on the budget on December 10. State law requires a budget to be adopted by January 15.",
        ],
    },
    {
        "path": "/news/2026/11/22/library-extends-weekend-hours",
        "section": "news",
        "headline": "Library extends weekend hours at all three branches",
        "teaser": "Libraries to open longer on weekends",
        "description": "Starting in December, every branch will be open until 6 p.m. on Saturdays and from noon on Sundays.",
        "authors": ["Grace Holloway"],
        "published": "2026-11-22T11:00:00-05:00",
        "skin": "microdata",
        "meta": "microdata",
        "chrome": [],
        "transfer": "identity",
        "related": ["/news/2026/11/22/school-board-delays-budget-vote"],
        "body": [
            "The Riverbend Public Library will keep all three of its branches open longer on weekends starting December 6, library director Simone Achebe announced Friday.",
            "Branches will be open from 10 a.m. to 6 p.m. on Saturdays and from noon to 5 p.m. on Sundays. Until now the Eastside and Millbrook branches closed at 2 p.m. on Saturday and did not open on Sunday at all.",
            "Achebe said the change is paid for by a bequest from a longtime patron and by moving two part-time positions to weekend shifts. Weekday hours are unchanged.",
        ],
    },
    {
        "path": "/news/2026/11/21/bridge-inspection-finds-corrosion",
        "section": "news",
        "headline": "Inspection finds corrosion on Canal Street bridge; weight limit lowered",
        "teaser": "Canal Street bridge gets lower weight limit",
        "description": "Trucks over 10 tons must detour while engineers design repairs to the 1958 span.",
        "authors": ["Marcus Lee"],
        "published": "2026-11-21T14:20:00-05:00",
        "meta": "opengraph",
        "chrome": ["ie11", "share"],
        "transfer": "identity",
        "tags": ["Infrastructure", "Traffic"],
        "related": ["/news/2026/11/23/council-approves-riverfront-path"],
        "body": [
            "State inspectors found advanced corrosion on two steel girders of the Canal Street bridge, prompting the city to lower the span's weight limit from 30 tons to 10 tons effective immediately.",
            "The bridge, built in 1958, carries about 9,000 vehicles a day across the canal between downtown and the east side. Cars, pickups and city buses can still use it. Heavier trucks, including most delivery and construction vehicles, are being sent to the Harbor Road crossing.",
            "Public works director Alana Greer said the bridge is safe for lighter traffic. \"The limit is there so it stays that way,\" she said.",
            "## Repairs next summer",
            "Engineers expect to replace the damaged girders next summer at a cost of about $1.8 million. A full replacement of the bridge, which the state had ranked as fair in its last review, is now likely to move up the city's capital plan.",
            "Council member Ruth Okafor said the finding showed the city had its priorities wrong. The council approved a riverfront path this week; Okafor voted against it.",
        ],
    },
    {
        "path": "/news/2026/11/23/live-first-winter-storm",
        "section": "news",
        "headline": "Live updates: First winter storm brings snow and power outages to the valley",
        "teaser": "LIVE: Winter storm updates",
        "description": "Follow along as the season's first storm drops up to eight inches of snow on Riverbend.",
        "authors": ["Dana Whitfield", "Marcus Lee"],
        "published": "2026-11-23T05:45:00-05:00",
        "modified": "2026-11-23T18:30:00-05:00",
        "skin": "live",
        "meta": "liveblog",
        "chrome": ["share", "cookie"],
        "transfer": "chunked",
        "tags": ["Weather"],
        "related": ["/news/2026/11/23/water-main-break-closes-elm-street"],
        "body": [
            "- Up to eight inches of snow fell across the valley by late afternoon.",
            "- About 2,100 customers lost power at the peak; most were restored by 5 p.m.",
            "- Schools closed early and the city declared a snow emergency until Tuesday noon.",
        ],
        "updates": [
            ("2026-11-23T18:30:00-05:00", "Snow emergency stays in effect overnight",
             "The city says cars parked on snow routes after 10 p.m. will be towed. Plows will work in 12-hour shifts."),
            ("2026-11-23T15:10:00-05:00", "Power back for most customers",
             "Valley Electric says fewer than 300 customers remain without power, mostly along River Road where a tree fell on a line."),
            ("2026-11-23T11:45:00-05:00", "Schools dismiss early",
             "Riverbend schools will dismiss at 12:30 p.m. After-school activities and evening events are cancelled."),
            ("2026-11-23T08:05:00-05:00", "Crashes on Route 9",
             "State police report several minor crashes on Route 9 north of the reservoir. No injuries have been reported."),
            ("2026-11-23T05:45:00-05:00", "Snow begins",
             "Light snow started falling just after 5 a.m. The weather service expects the heaviest bands between 9 a.m. and 2 p.m."),
        ],
    },
    {
        "path": "/news/2026/11/20/winter-festival-parking-changes",
        "section": "news",
        "headline": "Winter festival brings parking changes downtown",
        "teaser": "What to know about festival parking",
        "description": "Two city lots will close and a free shuttle will run from the high school during the three-day festival.",
        "authors": ["Riverbend Courier Staff"],
        "byline_names": ["Tessa Lindqvist"],
        "byline_role": "Community reporter",
        "published": "2026-11-20T09:00:00-05:00",
        "meta": "org-author",
        "chrome": ["cookie", "share", "newsletter"],
        "transfer": "identity",
        "tags": ["Events", "Parking"],
        "related": ["/culture/2026/11/18/community-theater-season",
                    "/news/2026/11/23/council-approves-riverfront-path"],
        "body": [
            "The Riverbend Winter Festival returns to downtown from December 12 to 14, and with it come three days of parking changes that the city hopes will keep Main Street from gridlock.",
            "The Front Street and Library lots will close to public parking from Thursday evening until Sunday night to make room for the ice rink and food stalls. Metered spaces on Main Street between Second and Sixth avenues will also be off limits.",
            "## Where to park instead",
            "1. The high school lot on Ridge Road, with a free shuttle every 10 minutes.\n2. The Harbor Road garage, open until midnight at the usual rates.\n3. Side streets east of Sixth Avenue, where the two-hour limit will not be enforced.",
            "Festival organizers expect about 25,000 visitors over the weekend, up from 19,000 last year. The shuttle runs from 3 p.m. to 11 p.m. on Friday and from 10 a.m. on Saturday and Sunday.",
        ],
    },
    {
        "path": "/news/2026/11/19/fire-station-reopens-after-renovation",
        "section": "news",
        "headline": "Fire Station 3 reopens after 14-month renovation",
        "teaser": "Fire Station 3 back in service",
        "description": "The Eastside station has a new engine bay and living quarters that meet current safety standards.",
        "authors": ["Grace Holloway"],
        "twitter": "@GraceHollowayRC",
        "published": "2026-11-19T16:45:00-05:00",
        "meta": "jsonld",
        "chrome": ["ie11", "follow"],
        "transfer": "identity",
        "related": ["/news/2026/11/21/bridge-inspection-finds-corrosion"],
        "body": [
            "Firefighters moved back into Eastside Fire Station 3 on Wednesday, ending 14 months in which the neighbourhood was covered from a temporary trailer behind the public works yard.",
            "The $3.1 million renovation added a larger engine bay, separate decontamination showers and sleeping rooms that replace a single open dormitory. Fire Chief Luis Ramirez said response times on the east side should drop by about a minute now that crews no longer have to drive around the rail yard.",
            "Residents are invited to an open house on Saturday from 11 a.m. to 2 p.m.",
        ],
    },
    {
        "path": "/news/2026/11/18/transit-fares-change-january",
        "section": "news",
        "headline": "Bus fares will change in January. Here is what riders need to know",
        "teaser": "Bus fares change in January",
        "description": "Single rides go up by 25 cents, but a new daily cap means frequent riders may pay less.",
        "authors": ["Ben Carver"],
        "published": "2026-11-18T10:30:00-05:00",
        "meta": "jsonld",
        "chrome": ["newsletter", "comments", "share"],
        "transfer": "gzip",
        "tags": ["Transit"],
        "related": ["/news/2026/11/23/water-main-break-closes-elm-street", "/news/2026/10/02/ferry-schedule-withdrawn"],
        "related_titles": {"/news/2026/10/02/ferry-schedule-withdrawn": "Ferry schedule for the winter season"},
        "comments": [("rivergal62", "Finally a daily cap. I take three buses to get to work."),
                     ("J. Peterson", "Twenty-five cents here, twenty-five cents there. It adds up for seniors.")],
        "body": [
            "Valley Transit will raise the price of a single bus ride from $1.75 to $2.00 on January 5, the first fare increase since 2019. The transit board approved the change last week in a 5-2 vote.",
            "At the same time, the agency is introducing fare capping: riders who pay with the Valley Pass card or the mobile app will never be charged more than $5 in a day or $60 in a calendar month.",
            "## The new fares at a glance",
            "- Single ride: $2.00 (was $1.75)\n- Daily cap: $5.00 (new)\n- Monthly cap: $60.00 (replaces the $65 monthly pass)\n- Seniors, students and riders with disabilities: half fare, with half the caps",
            "Transit director Helen Park said the cap should mean lower costs for people who ride most often. \"Under the old system you had to buy a monthly pass up front,\" she said. \"Now you pay as you go and we stop charging you once you have ridden enough.\"",
            "Paper transfers will be discontinued. Riders paying with cash will get a printed day pass instead, which counts toward the daily cap only on the day it is bought.",
            "Public comments on the change can be sent to the transit board until December 15.",
        ],
    },
    {
        "path": "/business/2026/11/22/bakery-opens-second-location",
        "section": "business",
        "headline": "Hearth & Rye bakery opens second location in the old bank building",
        "teaser": "Hearth & Rye expands downtown",
        "description": "The sourdough bakery that started at the farmers market is hiring 14 people for its new Main Street shop.",
        "authors": ["Owen Park"],
        "published": "2026-11-22T08:00:00-05:00",
        "meta": "graph",
        "chrome": ["ads", "share", "cookie"],
        "transfer": "gzip",
        "tags": ["Small Business", "Food", "Downtown"],
        "related": ["/business/2026/11/20/cafe-owner-wins-pastry-prize", "/old/story/4471",
                    "/business/2026/11/19/small-business-grants-awarded"],
        "related_titles": {"/old/story/4471": "Eastside fire station reopens"},
        "body": [
            "Hearth & Rye, the sourdough bakery that began as a folding table at the Saturday farmers market, will open its second shop on Friday in the former First Valley Bank building at Main and Third.",
            "Owners Lena and Patrick Duarte signed a ten-year lease on the ground floor in June and spent the summer turning the old teller counters into a pastry case. The vault, with its two-foot steel door still on its hinges, will hold the flour.",
            "\"People keep asking if we are going to keep money in there,\" Lena Duarte said. \"We tell them flour is worth more to us.\"",
            "The couple is hiring 14 people, most of them full-time bakers and counter staff, bringing their payroll to 31. The original shop on Orchard Street will keep its hours; the new one will open at 6:30 a.m. to catch commuters walking to the train.",
            "## A busy corner again",
            "The bank closed its Main Street branch in 2021, and the building sat empty for more than three years. The Downtown Business Association counts seven new storefronts on Main Street this year against two closures, the best year since it started tracking in 2012.",
            "Association director Felix Amato said food businesses are leading the recovery. \"A bakery gets people on the sidewalk at seven in the morning,\" he said. \"That helps everybody on the block.\"",
        ],
    },
    {
        "path": "/business/2026/11/21/port-authority-cargo-report",
        "section": "business",
        "headline": "Port of Riverbend cargo volume up 12 percent as grain exports rebound",
        "teaser": "Port cargo volume climbs",
        "description": "The port's quarterly report shows its best autumn since 2018, but a dredging backlog threatens next year's numbers.",
        "authors": ["Owen Park"],
        "published": "2026-11-21T12:00:00-05:00",
        "meta": "paywall",
        "chrome": ["paywall", "ads", "share"],
        "transfer": "identity",
        "tags": ["Port", "Economy"],
        "related": ["/business/2026/11/17/housing-market-cools"],
        "body": [
            "Cargo moving through the Port of Riverbend rose 12 percent in the third quarter compared with a year earlier, driven by a rebound in grain shipments after two dry summers, the port authority reported Thursday.",
            "The port handled 1.46 million tons from July through September, its best autumn quarter since 2018. Grain accounted for almost half of the total, with fertilizer, steel coil and road salt making up most of the rest.",
        ],
    },
    {
        "path": "/business/2026/11/20/cafe-owner-wins-pastry-prize",
        "section": "business",
        "headline": "Café Olé’s crème brûlée tart wins the valley’s pastry prize",
        "teaser": "Café Olé wins pastry prize",
        "description": "Chef Inès Fernández beat 40 entrants with a tart she first made for her grandmother’s 90th birthday.",
        "authors": ["Tessa Lindqvist"],
        "published": "2026-11-20T15:30:00-05:00",
        "charset": "windows-1252",
        "meta": "jsonld",
        "chrome": ["share"],
        "transfer": "identity",
        "tags": ["Food", "Small Business"],
        "related": ["/business/2026/11/22/bakery-opens-second-location"],
        "body": [
            "Inès Fernández has been making crème brûlée since she was nine. On Saturday, the owner of Café Olé on Orchard Street turned it into a tart and walked away with first prize at the Sable Valley Pastry Fair.",
            "The judges — two pastry chefs from Lakeport and a food writer from the state capital — tasted 41 entries over six hours. Fernández’s tart, a caramelised custard on a brown-butter crust with a thin layer of bitter orange, won the top score from all three.",
            "> I made it first for my grandmother’s 90th birthday. She said it needed more orange. She was right.\n-- Inès Fernández",
            "The prize comes with $2,500 and a spot at the regional fair in Mâcon-sur-Sable next spring. Fernández said the tart will be on the café’s menu on weekends through December, at $6.50 a slice.",
        ],
    },
    {
        "path": "/business/2026/11/19/small-business-grants-awarded",
        "section": "business",
        "headline": "City awards $380,000 in storefront grants to 19 small businesses",
        "teaser": "Storefront grants go to 19 businesses",
        "description": "A hardware store, two restaurants and a bicycle shop are among the recipients of the city's facade improvement program.",
        "authors": ["Owen Park"],
        "published": "2026-11-19T11:15:00-05:00",
        "skin": "microdata",
        "meta": "microdata",
        "chrome": ["share"],
        "transfer": "chunked",
        "related": ["/business/2026/11/22/bakery-opens-second-location"],
        "body": [
            "Nineteen Riverbend businesses will share $380,000 in city grants to repair storefronts, replace signs and make entrances accessible, the economic development office announced Wednesday.",
            "The largest award, $40,000, went to Sable Hardware on Canal Street for a new entrance ramp and windows. Grants require a one-to-one match from the business owner and must be spent by the end of next year.",
            "## Who got the money",
            "- Sable Hardware, Canal Street: $40,000\n- Millbrook Cycles, River Road: $28,500\n- Lucky Noodle, Main Street: $22,000\n- Thirteen other businesses: between $6,000 and $20,000 each",
            "Economic development director Priscilla Vance said the office received 52 applications, more than twice as many as last year. A second round will open in March.",
            "[link /static/docs/courier-ethics-policy.pdf|How the Courier covers businesses that advertise with us (PDF)]",
        ],
    },
    {
        "path": "/business/2026/11/17/housing-market-cools",
        "section": "business",
        "headline": "Riverbend's housing market cools, but prices have not fallen yet",
        "teaser": "Home sales slow as rates stay high",
        "description": "Sales are down 18 percent from last year and homes sit on the market longer, yet the median price is still rising.",
        "authors": ["Alicia Moreno"],
        "published": "2026-11-17T07:00:00-05:00",
        "meta": "jsonld",
        "chrome": ["ads", "newsletter", "share", "cookie"],
        "transfer": "gzip",
        "tags": ["Housing", "Real Estate", "Economy"],
        "related": ["/business/2026/11/21/port-authority-cargo-report",
                    "/news/2026/11/22/school-board-delays-budget-vote"],
        "body": [
            "Fewer homes are changing hands in Riverbend than at any time in the past decade, but buyers hoping for a price drop are still waiting.",
            "Sales of single-family homes in the city fell 18 percent in the twelve months through October, to 412, according to the Sable Valley Association of Realtors. The median sale price rose 3.1 percent, to $286,000.",
            "## Why prices are holding",
            "Agents and economists give the same two reasons. Mortgage rates have stayed above six percent for most of the year, which slows sales. But many owners locked in much lower rates before 2022, and they are not selling, so there are few homes on the market to push prices down.",
            "> Nobody wants to trade a three percent mortgage for a six and a half percent one. So the people who would normally move up are staying put, and first-time buyers have very little to choose from.\n-- Marisol Trent, broker at Valley Home Realty",
            "At the end of October there were 96 single-family homes listed for sale in Riverbend, about six weeks of supply. A balanced market is usually described as five to six months.",
            "## Longer waits, more price cuts",
            "Homes are, however, taking longer to sell. The median listing spent 31 days on the market in October, up from 12 days a year earlier. About one listing in four had a price cut before it sold.",
            "For buyers, that means more room to negotiate on repairs and closing costs, said Trent. Bidding wars, common in 2021 and 2022, have become rare outside the most sought-after neighbourhoods near Mill Park.",
            "## Renters feel it too",
            "The slowdown has pushed more households into renting. The average advertised rent for a two-bedroom apartment reached $1,340 in October, up six percent from last year, according to listings tracked by the Courier.",
            "The city's housing committee will discuss a proposal to allow accessory dwelling units on single-family lots at its December meeting.",
        ],
    },
]


def section_by_slug(slug: str) -> dict:
    return next(s for s in SECTIONS if s["slug"] == slug)


# Edition 2: three articles edited after publication, as data. Everything else stays
# byte-identical so a re-crawl can tell the edits from the unchanged pages.
EDITION_2 = {
    "/news/2026/11/22/school-board-delays-budget-vote": {
        "headline": "School board delays budget vote as enrollment falls for fourth year",
        "modified": "2026-11-23T12:30:00-05:00",
        "correction": "Correction: An earlier version of this story said enrollment had fallen for three years "
                      "in a row. District figures show it has fallen for four.",
    },
    "/business/2026/11/21/port-authority-cargo-report": {
        "headline": "Port of Riverbend cargo volume up 9 percent as grain exports rebound",
        "modified": "2026-11-23T10:05:00-05:00",
        "correction": "Correction: This story originally gave the port's cargo growth as 12 percent. "
                      "The port authority revised the figure to 9 percent on Monday.",
    },
    "/news/2026/11/23/water-main-break-closes-elm-street": {
        "headline": "Water main break closes Elm Street; repairs to take until Thursday",
        "modified": "2026-11-24T09:15:00-05:00",
        "correction": "Correction: An earlier version of this story said service would return on Tuesday evening. "
                      "The city now expects repairs to last until Thursday.",
    },
}


def articles(edition: int = 1) -> list[dict]:
    """The stories for an edition, with derived fields filled in, newest first."""
    out = []
    for story in STORIES:
        art = copy.deepcopy(story)
        art.setdefault("teaser", art["headline"])
        art.setdefault("modified", art["published"])
        # discovery documents always show the first edition (see feeds.py)
        art["sitemap_title"] = art["headline"]
        art["sitemap_lastmod"] = art["modified"]
        art["edited"] = False
        edit = EDITION_2.get(art["path"]) if edition == 2 else None
        if edit:
            art["headline"] = edit["headline"]
            art["modified"] = edit["modified"]
            art["body"] = art["body"] + [edit["correction"]]
            art["edited"] = True
        out.append(art)
    out.sort(key=lambda a: a["published"], reverse=True)
    return out


def manifest_info(art: dict) -> dict:
    chrome = set(art.get("chrome", ()))
    boilerplate = [pages.LABELS[art.get("lang", "en")]["related"]] if art.get("related") else []
    for flag, text in (("cookie", pages.LABELS[art.get("lang", "en")]["cookie"]), ("ie11", pages.IE11_TEXT),
                       ("ads", pages.LABELS[art.get("lang", "en")]["ad"]),
                       ("newsletter", pages.LABELS[art.get("lang", "en")]["newsletter"]),
                       ("paywall", pages.PAYWALL_TEXT), ("comments", pages.LABELS[art.get("lang", "en")]["comments"]),
                       ("share", pages.LABELS[art.get("lang", "en")]["share"])):
        if flag in chrome:
            boilerplate.append(text)
    first = next((b for b in art["body"] if not b.startswith(("#", ">", "-", "1.", "["))), None)
    return {
        "headline": art["headline"],
        "section": art["section"],
        "published": art["published"],
        "modified": art["modified"],
        "authors": art.get("byline_names", art["authors"]),
        "language": art.get("lang", "en"),
        "shape": f"{art.get('skin', 'courier')}/{art.get('meta', 'jsonld')}",
        "first_paragraph": first,
        "boilerplate": boilerplate,
        "in_news_sitemap": art.get("in_news_sitemap", True),
        "in_feeds": art.get("in_feeds", True),
        "edited": art["edited"],
    }
